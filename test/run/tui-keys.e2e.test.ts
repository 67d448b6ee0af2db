import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, keys, killTmuxServer, startRunInTmux, waitForPane } from '../helpers/tmux.js';
import { planRepo } from './plan-repo.js';

if (!hasTmux) console.warn('\n*** SKIPPING the TUI key tests: tmux is not installed ***\n');

afterEach(killTmuxServer);

/** Longer than any test here: the agent is still at work whenever the test looks. */
const LONG_WORK_MS = 300_000;
const longTurn = { steps: [{ say: 'working for a long time' }, { work: LONG_WORK_MS }], reply: 'Finished.' };

describe.skipIf(!hasTmux)('TUI keys in a real terminal (tmux)', () => {
  it('Ctrl-] detaches from an agent that is still working', async () => {
    const repo = planRepo([[{ id: 'feature-001-alpha', turns: [longTurn] }]]);
    const session = 'detach';
    startRunInTmux(session, repo);
    await waitForPane(session, (s) => /feature-001-alpha\s.*working/.test(s), 'the task at work');

    keys(session, 'a');
    await waitForPane(session, (s) => s.includes('attached to feature-001-alpha'), 'the attached screen');
    keys(session, 'C-]');
    const back = await waitForPane(session, (s) => !s.includes('attached to') && /feature-001-alpha\s.*working/.test(s), 'the TUI after Ctrl-]', 10_000);
    expect(back).toMatch(/Test plan/);

    keys(session, 'q');
    await waitForPane(session, (s) => /stopped: stopped from the UI/.test(s), 'the stopped run');
  });
});
