import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, keys, killTmuxServer, startRunInTmux, waitForPane } from '../helpers/tmux.js';
import { planRepo } from './plan-repo.js';

if (!hasTmux) console.warn('\n*** SKIPPING the TUI end-to-end test: tmux is not installed ***\n');

afterEach(killTmuxServer);

describe.skipIf(!hasTmux)('the TUI in a real terminal (tmux)', () => {
  it('shows the task rows, opens the live view, attaches and detaches, then prints the summary', async () => {
    const slow = (file: string) => ({ steps: [{ say: `working on ${file}` }, { work: 6000 }, { write: file, content: 'x\n' }, { commit: `Add ${file}` }], reply: `Added ${file}.` });
    const repo = planRepo([
      [
        { id: 'feature-001-alpha', turns: [slow('alpha.txt')] },
        { id: 'feature-002-beta', turns: [slow('beta.txt')] },
      ],
    ]);
    const session = 'tui';
    startRunInTmux(session, repo);
    const rows = await waitForPane(session, (s) => s.includes('feature-001-alpha') && s.includes('feature-002-beta') && /working/.test(s), 'the task rows');
    expect(rows).toMatch(/Test plan/);

    keys(session, 'Enter');
    const live = await waitForPane(session, (s) => /esc to interrupt|working on alpha\.txt/.test(s) && !/feature-002-beta .*working/.test(s), 'the live view');
    expect(live).toMatch(/feature-001-alpha/);
    keys(session, 'Escape');
    await waitForPane(session, (s) => s.includes('feature-002-beta'), 'the table again');

    keys(session, 'a');
    await waitForPane(session, (s) => s.includes('attached to feature-001-alpha'), 'the attached screen');
    keys(session, 'C-]');
    await waitForPane(session, (s) => !s.includes('attached to') && s.includes('feature-002-beta'), 'the TUI after detaching');

    const summary = await waitForPane(session, (s) => /finished \(exit 0\)/.test(s) && /TASK\s+TIME\s+COMMITS\s+MERGED\s+TOKENS\s+EST\. \$\s+STATUS/.test(s), 'the summary', 60_000);
    expect(summary).toMatch(/feature-001-alpha\s.*● merged/);
    expect(summary).toMatch(/feature-002-beta\s.*● merged/);
  });
});
