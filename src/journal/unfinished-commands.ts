import type { JournalEvent } from './events.js';
import type { ProcessIdentity } from '../process/process-identity.js';

/** A test or setup command the journal saw start with its process group, and never saw finish. */
export interface UnfinishedCommand {
  kind: 'test' | 'setup';
  command: string;
  task?: string;
  group: ProcessIdentity;
}

/**
 * The user's commands an earlier ccwave started and did not see end (it crashed, was killed, or
 * was stopped while they ran). Pure: which of them still run is for the caller to find out.
 */
export function unfinishedCommands(events: readonly JournalEvent[]): UnfinishedCommand[] {
  const tests = new Map<string, UnfinishedCommand>();
  const setups = new Map<string, UnfinishedCommand>();
  const superseded: UnfinishedCommand[] = [];
  for (const event of events) {
    if (event.type === 'test-started' && event.group) tests.set(event.testId, { kind: 'test', command: event.command, group: event.group });
    if (event.type === 'test-finished') tests.delete(event.testId);
    if (event.type === 'setup-started' && event.group) {
      // A setup started again (after a stop) leaves the earlier one unfinished in the journal.
      const earlier = setups.get(event.task);
      if (earlier) superseded.push(earlier);
      setups.set(event.task, { kind: 'setup', command: event.command, task: event.task, group: event.group });
    }
    if (event.type === 'setup-finished') setups.delete(event.task);
  }
  return [...superseded, ...setups.values(), ...tests.values()];
}
