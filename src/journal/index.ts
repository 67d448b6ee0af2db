/** The run journal: append-only events, their pure reducer to RunState, and the repository lock. */
export * from './events.js';
export * from './run-state.js';
export { reduce, replay } from './reduce.js';
export { Journal, type JournalOptions } from './journal.js';
export { JournalCorruptError, JournalVersionError, parseJournal, type JournalWarning, type ParsedJournal } from './parse-journal.js';
export * from './runs.js';
export { acquireLock, formatSince, inspectLock, lockPath, RunLock, type AcquireOptions, type LockInfo, type LockStatus } from './lock.js';
export { judgeLiveness, type Liveness, type ProcessIdentity } from '../process/process-identity.js';
export { runActivity, type RunActivity } from './run-activity.js';
export { readRunOverviews, recordedWorktreePaths, type RunOverview } from './run-overview.js';
export { agentsRunning, pausedUntil, runPhase, type PhaseKind, type RunPhase } from './run-phase.js';
