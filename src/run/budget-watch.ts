import { EXIT } from '../errors.js';
import type { JournalEvent } from '../journal/events.js';
import type { RunRecorder } from '../journal/recorder.js';
import { taskById, type RunState } from '../journal/run-state.js';
import { runUsage, taskUsage } from '../journal/usage-totals.js';
import { addUsage, NO_USAGE, usageDelta, type Usage } from '../journal/usage.js';
import type { Plan, Task } from '../plan/types.js';
import { budgetReached, tasksInTurn } from './budget-check.js';
import type { StopControl, TaskStops } from './stop-control.js';
import type { UsagePause } from './usage-pause.js';

export interface BudgetWatchDeps {
  plan: Pick<Plan, 'settings' | 'waves'>;
  recorder: RunRecorder;
  stop: StopControl;
  taskStops: TaskStops;
  pause: UsagePause;
}

/** Why a task ends over budget, with the figures. */
export function taskOverBudgetReason(figures: string): string {
  return `over its budget: ${figures}`;
}

/** Why the run stops at its budget, and how to go on. */
export function runOverBudgetReason(figures: string): string {
  return `the run's budget is used up (${figures}): raise \`budget\` in WAVES.md to go on`;
}

/**
 * Watches what the agents use, as the journal's `agent-usage` events report it. A task at its
 * budget is stopped (it ends `over-budget`, see the task runner); a run at its budget starts no
 * new agent, lets the agents in the middle of a turn finish it, then stops resumably. Returns the
 * function that stops watching.
 */
export function watchBudgets(deps: BudgetWatchDeps): () => void {
  const tasks = new Map<string, Task>(deps.plan.waves.flatMap((wave) => wave.tasks.map((task) => [task.id, task] as const)));
  let runReached: string | undefined;
  // Only agents this process launched can be in a turn: a resumed journal's "working" is history.
  const launched = new Set<string>();

  const checkTask = (state: RunState, taskId: string): void => {
    const task = taskById(state, taskId);
    // A conflict hand-back is the merge's work, not the task's: stopping it would drop the merge.
    if (!task || task.status !== 'running' || task.handback?.pending || deps.taskStops.stopped(taskId)) return;
    const reached = budgetReached(taskUsage(state, taskId), tasks.get(taskId)?.settings.taskBudget);
    if (reached) deps.taskStops.stop(taskId, { kind: 'over-budget', reason: taskOverBudgetReason(reached) });
  };

  // The run's usage so far, kept up to date from each task's growing total: summing every task on
  // every event would make a run's cost grow with the square of its tasks.
  const budget = deps.plan.settings.budget;
  const atStart = deps.recorder.state;
  let runTotal = budget ? runUsage(atStart) : NO_USAGE;
  const counted = new Map<string, Usage>();
  const countUsage = (state: RunState, taskId: string): void => {
    const now = taskUsage(state, taskId);
    runTotal = addUsage(runTotal, usageDelta(now, counted.get(taskId) ?? taskUsage(atStart, taskId)));
    counted.set(taskId, now);
  };

  const checkRun = (state: RunState): void => {
    runReached ??= budgetReached(runTotal, budget);
    if (runReached === undefined) return;
    const reason = runOverBudgetReason(runReached);
    deps.pause.hold(reason);
    if (!deps.stop.stopping && !tasksInTurn(state).some((id) => launched.has(id))) deps.stop.request(reason, EXIT.overBudget);
  };

  // Acting inside the recorder's listener would stop agents (and record their ends) while other
  // listeners have not yet seen this event: the decisions are carried out right after it.
  const onEvent = (event: JournalEvent, after: RunState): void => {
    if (event.type === 'agent-starting') launched.add(event.task);
    if (event.type === 'agent-usage' && budget) countUsage(after, event.task);
    queueMicrotask(() => {
      const state = deps.recorder.state;
      if (event.type === 'agent-usage') checkTask(state, event.task);
      checkRun(state);
    });
  };
  const unsubscribe = deps.recorder.subscribe(onEvent);
  // A resumed run may already be at its budget.
  checkRun(atStart);
  return unsubscribe;
}
