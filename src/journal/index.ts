/** The run journal: append-only events, their pure reducer to RunState, and the repository lock. */
export * from './events.js';
export * from './run-state.js';
export * from './usage.js';
export * from './usage-totals.js';
export { reduce, replay } from './reduce.js';
export { Journal } from './journal.js';
export { JournalCorruptError, JournalVersionError, parseJournal } from './parse-journal.js';
export * from './runs.js';
export { acquireLock, formatSince, inspectLock, lockPath, type LockInfo } from './lock.js';
export { judgeLiveness } from '../process/process-identity.js';
export { runActivity } from './run-activity.js';
export { readRunOverviews } from './run-overview.js';
