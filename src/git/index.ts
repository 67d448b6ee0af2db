/** The git layer: one small interface over the git command line, argv only. */
export { Mutex } from './mutex.js';
export { Repo } from './repo.js';
export { assertNoOperationInProgress, operationInProgress } from './repo-state.js';
export * from './refs.js';
export * from './branch-names.js';
export * from './worktrees.js';
export * from './task-worktrees.js';
export * from './merge-check.js';
export * from './merge.js';
export * from './trailers.js';
export * from './archive.js';
