import type { GitExec } from './exec.js';

/*
 * Commands run in one of ccwave's own worktrees, by a caller already inside `repo.exclusive`.
 */

/** Moves the worktree to `sha`, detached, discarding local changes: ccwave's scratch worktree only. */
export async function forceCheckoutDetached(exec: GitExec, sha: string): Promise<void> {
  await exec.run(['checkout', '--quiet', '--force', '--detach', sha]);
}

/** Deletes untracked files and folders (not ignored ones) that an earlier run left there. */
export async function removeUntracked(exec: GitExec): Promise<void> {
  await exec.run(['clean', '-fdq']);
}

/** Fast-forwards the branch checked out there to `to`; git refuses rather than overwrite an ignored file. */
export async function fastForwardCheckout(exec: GitExec, to: string): Promise<void> {
  await exec.run(['merge', '--ff-only', '--no-overwrite-ignore', '--quiet', to]);
}
