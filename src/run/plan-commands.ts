import type { PlanCommand } from '../agent/adapter.js';
import type { TaskSettings } from '../plan/types.js';

/** The commands the plan names for a task, which its agent is told and may run. */
export function planCommands(test: string | undefined, settings: Pick<TaskSettings, 'setup' | 'verify'>): PlanCommand[] {
  const commands: PlanCommand[] = [];
  if (test) commands.push({ role: 'test', command: test });
  if (settings.setup) commands.push({ role: 'setup', command: settings.setup });
  if (settings.verify) commands.push({ role: 'verify', command: settings.verify });
  return commands;
}
