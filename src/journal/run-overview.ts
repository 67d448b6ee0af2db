import { Journal } from './journal.js';
import { inspectLock } from './lock.js';
import { replay } from './reduce.js';
import { runActivity, type RunActivity } from './run-activity.js';
import type { RunState } from './run-state.js';
import { listRuns } from './runs.js';

export type RunOverview =
  | { runId: string; readable: true; state: RunState; activity: RunActivity }
  /** The journal cannot be read (corrupt, or from a newer ccwave): treat the run as untouchable. */
  | { runId: string; readable: false; problem: string };

/** Every run of the repository with its state and whether it is live. Read-only. */
export function readRunOverviews(dataDir: string): RunOverview[] {
  const lock = inspectLock(dataDir);
  return listRuns(dataDir).map((runId) => {
    try {
      const state = replay(Journal.read(dataDir, runId).events);
      const named = state.runId ? state : { ...state, runId };
      return { runId, readable: true, state: named, activity: runActivity(named, lock) };
    } catch (error) {
      return { runId, readable: false, problem: error instanceof Error ? error.message : String(error) };
    }
  });
}
