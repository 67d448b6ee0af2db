import { taskById, type RunState } from './run-state.js';
import { NO_USAGE, sumUsage, type Usage } from './usage.js';

/** What one task's agent used, over all its attempts. */
export function taskUsage(state: RunState, taskId: string): Usage {
  return taskById(state, taskId)?.usage?.total ?? NO_USAGE;
}

/** What the agents of one wave used. */
export function waveUsage(state: RunState, wave: number): Usage {
  return sumUsage(Object.values(state.tasks).flatMap((task) => (task.wave === wave && task.usage ? [task.usage.total] : [])));
}

/** What the run's agents used so far. */
export function runUsage(state: RunState): Usage {
  return sumUsage(Object.values(state.tasks).flatMap((task) => (task.usage ? [task.usage.total] : [])));
}
