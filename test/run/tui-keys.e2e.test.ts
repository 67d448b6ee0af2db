import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, keys, killTmuxServer, startRunInTmux, waitForPane } from '../helpers/tmux.js';
import { commitTurn, planRepo, runState } from './plan-repo.js';

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
    await waitForPane(session, (s) => s.includes('stop the run? y: stop'), 'the question');
    keys(session, 'y');
    await waitForPane(session, (s) => /stopped: stopped from the UI/.test(s), 'the stopped run');
  });

  it('k then r runs the stopped task again, and the run finishes with its work merged; r on a working task is refused with the reason', async () => {
    // beta keeps the wave's agents at work while alpha is stopped and retried.
    const repo = planRepo([
      [
        { id: 'feature-001-alpha', turns: [longTurn, commitTurn('alpha.txt')] },
        { id: 'feature-002-beta', turns: [longTurn] },
      ],
    ]);
    const session = 'retry';
    startRunInTmux(session, repo);
    await waitForPane(session, (s) => /feature-001-alpha\s.*working/.test(s) && /feature-002-beta\s.*working/.test(s), 'both tasks at work');

    // A task at work has nothing to retry: the key is refused, with the reason.
    keys(session, 'r');
    await waitForPane(session, (s) => s.includes('feature-001-alpha is running: only a failed, timed-out or stopped task can be retried'), 'the refusal');
    keys(session, 'k');
    await waitForPane(session, (s) => s.includes('stop feature-001-alpha? y: stop it'), 'the question');
    keys(session, 'y');
    await waitForPane(session, (s) => /feature-001-alpha\s.*cancelled/.test(s), 'alpha stopped');
    keys(session, 'r');
    await waitForPane(session, (s) => /feature-001-alpha\s.*done/.test(s), 'alpha done after its retry');
    expect(runState(repo).tasks['feature-001-alpha']!.attempts).toBe(2);

    // The run ends once beta is stopped too; alpha's retried work is merged.
    keys(session, 'Down');
    await waitForPane(session, (s) => /› .*feature-002-beta/.test(s), 'beta selected');
    keys(session, 'k');
    await waitForPane(session, (s) => s.includes('stop feature-002-beta? y: stop it'), 'the question');
    keys(session, 'y');
    const summary = await waitForPane(session, (s) => /TASK\s+TIME\s+COMMITS\s+MERGED\s+TOKENS\s+EST\. \$\s+STATUS/.test(s), 'the summary');
    expect(summary).toMatch(/feature-001-alpha\s.*[✓●] (done|merged)/);
    expect(runState(repo).tasks['feature-001-alpha']!.merge?.status).toBe('merged');
    expect(runState(repo).tasks['feature-002-beta']!.status).toBe('cancelled');
  });

  it('keeps a viewed task on screen when the run ends, with its last screen, until q', async () => {
    const turn = { steps: [{ say: 'working on alpha.txt' }, { work: 5000 }, { write: 'alpha.txt', content: 'x\n' }, { commit: 'Add alpha.txt' }], reply: 'Added alpha.txt for the reader.' };
    const repo = planRepo([[{ id: 'feature-001-alpha', turns: [turn] }]]);
    const session = 'ended';
    startRunInTmux(session, repo);
    await waitForPane(session, (s) => /feature-001-alpha\s.*working/.test(s), 'the task at work');
    keys(session, 'Enter');
    await waitForPane(session, (s) => s.includes('live terminal'), 'the live view');

    const ended = await waitForPane(session, (s) => s.includes('run finished (exit 0) · press q'), 'the run-finished state', 60_000);
    expect(ended).toMatch(/feature-001-alpha · .* · last screen/);
    expect(ended).toContain('Added alpha.txt for the reader.');
    expect(ended).not.toMatch(/TASK\s+TIME\s+COMMITS\s+MERGED\s+TOKENS\s+EST\. \$\s+STATUS/);

    keys(session, 'q');
    const summary = await waitForPane(session, (s) => /TASK\s+TIME\s+COMMITS\s+MERGED\s+TOKENS\s+EST\. \$\s+STATUS/.test(s), 'the summary');
    expect(summary).toMatch(/feature-001-alpha\s.*[✓●] (done|merged)/);
  });
});
