/** The git layer: one small interface over the git command line, argv only. */
export { GitCommandError, GitExec, type GitResult } from './exec.js';
export { Mutex } from './mutex.js';
export { checkGitVersion, MIN_GIT_VERSION, parseGitVersion, type GitVersion } from './version.js';
export { Repo } from './repo.js';
export { assertNoOperationInProgress, dirtyPaths, isDirty, operationInProgress, type GitOperation } from './repo-state.js';
export * from './refs.js';
export * from './branch-names.js';
export * from './worktrees.js';
export * from './task-worktrees.js';
export * from './merge-check.js';
export * from './merge.js';
export * from './trailers.js';
export * from './archive.js';
