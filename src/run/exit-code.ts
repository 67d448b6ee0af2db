import { EXIT } from '../errors.js';
import type { RunState, TaskState } from '../journal/run-state.js';
import { testVerdictOf } from '../journal/test-verdicts.js';

/** Merge outcomes that count as the task's work being in the result. */
const LANDED = new Set(['merged', 'already-merged', 'empty']);

/** True when the task's work is in the run's result (merged, found merged, or nothing to merge). */
export function isTaskMerged(task: TaskState): boolean {
  return task.status === 'done' && task.merge !== undefined && LANDED.has(task.merge.status);
}

/** Tasks of the finished waves that did not end merged, with why. */
export function unfinishedTasks(state: RunState): { task: TaskState; why: string }[] {
  const out: { task: TaskState; why: string }[] = [];
  for (const wave of state.waves.filter((w) => w.status === 'finished')) {
    const baseFailed = wave.fromSha !== undefined && testVerdictOf(state.tests, wave.fromSha) === 'failed';
    for (const id of wave.taskIds) {
      const task = state.tasks[id];
      if (!task) continue;
      if (task.status !== 'done') out.push({ task, why: `${task.status}${task.reason ? `: ${task.reason}` : ''}` });
      else if (!task.merge || !LANDED.has(task.merge.status)) out.push({ task, why: task.merge?.reason ?? task.merge?.status ?? 'not merged' });
      else if (baseFailed && task.merge.status === 'merged') out.push({ task, why: 'unverified: the tests already failed before the merge' });
    }
  }
  return out;
}

/** 0 when every task merged with tests green, 1 when some did not. */
export function exitCodeOf(state: RunState): number {
  return unfinishedTasks(state).length === 0 ? EXIT.ok : EXIT.tasksFailed;
}
