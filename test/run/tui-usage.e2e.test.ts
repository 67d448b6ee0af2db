import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, killTmuxServer, startRunInTmux, waitForPane } from '../helpers/tmux.js';
import { planRepo } from './plan-repo.js';

afterEach(killTmuxServer);

describe.skipIf(!hasTmux)('usage in the TUI in a real terminal (tmux)', () => {
  it('shows the run total in the header and each task in the token and dollar columns', async () => {
    const turn = (file: string) => ({
      steps: [
        { usage: { input: 30_000, output: 4_200, costUsd: 0.42 } },
        { rateLimits: { fiveHour: 42, resetInSec: 3600 } },
        { work: 6000 },
        { write: file, content: 'x\n' },
        { commit: `Add ${file}` },
      ],
      reply: `Added ${file}.`,
    });
    const repo = planRepo([[{ id: 'feature-001-alpha', turns: [turn('alpha.txt')] }]]);
    startRunInTmux('usage', repo);
    const screen = await waitForPane('usage', (s) => /TOKENS\s+EST\. \$/.test(s) && /five-hour window 42%/.test(s), 'the usage column and header');
    expect(screen).toMatch(/^usage \d.* tokens, ~\$\d+\.\d\d estimated · five-hour window 42% \(resets \d\d:\d\d\)$/m);
    expect(screen).toMatch(/feature-001-alpha\s.*\s34\.\dk\s+~\$0\.4\d/);
  });
});
