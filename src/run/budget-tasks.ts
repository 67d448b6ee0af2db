import type { RunState } from '../journal/run-state.js';
import { taskUsage } from '../journal/usage-totals.js';
import type { Task, Wave } from '../plan/types.js';
import { budgetReached } from './budget-check.js';

/** How a task over its budget is taken up again: its session continues with this. */
export const BUDGET_RAISED_MESSAGE = 'Your budget for this task was raised. Continue the task where you left off; commit your work when done.';

/** The figures by which `task` is at or over its budget now (the plan as read by this run), if it is. */
export function taskBudgetReached(state: RunState, task: Task): string | undefined {
  return budgetReached(taskUsage(state, task.id), task.settings.taskBudget);
}

/**
 * The wave's tasks that ended over budget and are within their budget now (it was raised or
 * dropped since): they are taken up again, continuing their sessions.
 */
export function tasksBackWithinBudget(state: RunState, wave: Wave): Task[] {
  return wave.tasks.filter((task) => state.tasks[task.id]?.status === 'over-budget' && taskBudgetReached(state, task) === undefined);
}

/**
 * Why the run stops after a wave's agents: a task of it is over budget, and its work would be
 * missing from the wave's merge. Says whether it was already over when this run began.
 */
export function overBudgetStop(state: RunState, wave: Wave, overBefore: ReadonlySet<string>): string | undefined {
  const over = wave.tasks.filter((task) => state.tasks[task.id]?.status === 'over-budget');
  if (over.length === 0) return undefined;
  const each = over.map((task) => `${task.id} is ${overBefore.has(task.id) ? 'still ' : ''}over its budget (${taskBudgetReached(state, task) ?? 'its budget is reached'})`);
  return `${each.join('; ')}: raise \`taskBudget\` (in WAVES.md or the task's PROMPT.md) to go on; the wave's merge waits for it`;
}
