import { describe, it } from 'vitest';
import { crashKeepsTheRetry, failedHandback, killDuringHandback, stopDuringHandback, stopDuringLanding, stopDuringMergeQueue, stopDuringRetro } from '../run/stop-scenarios.js';

/**
 * Stops at every phase after the agents, with each signal: exit 130, nothing left running, the
 * journal says interrupted, and the next `ccwave run` ends as an uninterrupted run. A sample runs
 * in `npm test` (test/run/stop-phases.test.ts, test/run/stop-handback.test.ts).
 */
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

describe('stops after the agents', () => {
  it.each(SIGNALS)('%s during a test of the merge queue', (signal) => stopDuringMergeQueue(signal));
  it.each(SIGNALS)('%s during a conflict hand-back', (signal) => stopDuringHandback(signal));
  it.each(SIGNALS)('%s during the retrospective', (signal) => stopDuringRetro(signal));
  it.each(SIGNALS)('%s during the landing', (signal) => stopDuringLanding(signal));
  it('SIGKILL during a conflict hand-back, then resume', () => killDuringHandback());
  it('SIGKILL during a conflict hand-back, the task worktree deleted by hand, then resume', () => killDuringHandback({ deleteWorktree: true }));
  it('a conflict hand-back that fails', () => failedHandback());
  it('a crash while an agent works does not use up a retry', () => crashKeepsTheRetry());
});
