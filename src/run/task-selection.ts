import type { RunState } from '../journal/run-state.js';
import type { Plan } from '../plan/types.js';
import { isTaskMerged } from './exit-code.js';

/** The plan's tasks a run takes when not all of them, as journaled in `run-started`. */
export interface TaskSelection {
  tasks: string[];
  /** The run whose tasks that did not merge these are (`--only-failed`). */
  rerunOf?: string;
}

/** The plan with only the selected tasks, in plan order; a wave left empty is dropped. */
export function narrowPlan(plan: Plan, ids: ReadonlySet<string>): Plan {
  const waves = plan.waves.map((wave) => ({ ...wave, tasks: wave.tasks.filter((task) => ids.has(task.id)) })).filter((wave) => wave.tasks.length > 0);
  return { ...plan, waves };
}

export function planTaskIds(plan: Plan): string[] {
  return plan.waves.flatMap((wave) => wave.tasks.map((task) => task.id));
}

/**
 * The tasks that did not merge, judged by each task's latest outcome: from this plan's newest
 * finished run back to its last run of every task, so a task left out of a narrower rerun
 * (`--task`) is still owed. `runs` are this plan's runs, newest first; unfinished ones (left with
 * `--fresh`) decide nothing. Undefined when no run of the plan finished.
 */
export function tasksNotMerged(runs: Iterable<{ runId: string; state: RunState }>): { rerunOf: string; last: RunState; tasks: string[] } | undefined {
  const merged = new Map<string, boolean>();
  let newest: { runId: string; state: RunState } | undefined;
  for (const { runId, state } of runs) {
    if (state.status !== 'finished') continue;
    newest ??= { runId, state };
    for (const id of state.waves.flatMap((wave) => wave.taskIds)) {
      const task = state.tasks[id];
      if (task && !merged.has(id)) merged.set(id, isTaskMerged(task));
    }
    if (!state.selection) break;
  }
  if (newest === undefined) return undefined;
  return { rerunOf: newest.runId, last: newest.state, tasks: [...merged].filter(([, ok]) => !ok).map(([id]) => id) };
}
