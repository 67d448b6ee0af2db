import type { Repo } from '../git/repo.js';
import { casUpdateRef, isAncestor, readRef } from '../git/refs.js';
import { isDirty, operationInProgress, worktreeGitDir } from '../git/repo-state.js';
import { listWorktrees } from '../git/worktrees.js';
import type { RunRecorder } from '../run/recorder.js';

export type LandOutcome =
  | { landed: true; sha: string; how: 'ref' | 'checkout' | 'already' }
  /** `command` lands it by hand. */
  | { landed: false; why: string; command: string };

/**
 * Fast-forwards `base` to the integration tip when that is safe: by compare-and-swap when no
 * worktree has it checked out, by `merge --ff-only` in the one that has it when that one is clean.
 * A dirty checkout, or a base that moved on, is left alone with the command to land by hand.
 * `untested` says why the integration tip never passed the tests: then `base` does not move.
 */
export async function landBase(
  repo: Repo,
  recorder: RunRecorder,
  base: string,
  integrationBranch: string,
  options: { untested?: string } = {},
): Promise<LandOutcome> {
  if (options.untested) {
    return { landed: false, why: options.untested, command: `git switch ${base} && git merge --ff-only ${integrationBranch}` };
  }
  const ref = `refs/heads/${base}`;
  const [from, to] = await Promise.all([readRef(repo.git, ref), readRef(repo.git, `refs/heads/${integrationBranch}`)]);
  if (!from || !to) return { landed: false, why: `branch ${from ? integrationBranch : base} is missing`, command: `git merge ${integrationBranch}` };
  if (from === to) return { landed: true, sha: to, how: 'already' };
  const byHand = `git switch ${base} && git merge --ff-only ${integrationBranch}`;
  if (!(await isAncestor(repo.git, from, to))) {
    return { landed: false, why: `${base} has commits the run does not (it moved during the run)`, command: `git switch ${base} && git merge ${integrationBranch}` };
  }
  const holder = (await listWorktrees(repo.git)).find((w) => w.branch === ref);
  if (holder) {
    const exec = repo.at(holder.path);
    if (operationInProgress(await worktreeGitDir(exec))) return { landed: false, why: `${holder.path} is in the middle of a git operation`, command: byHand };
    if (await isDirty(exec)) return { landed: false, why: `${base} is checked out in ${holder.path} with uncommitted changes, which ccwave never touches`, command: byHand };
  }
  recorder.record({ type: 'land-intent', branch: base, from, to });
  await repo.exclusive(async () => {
    if (holder) await repo.at(holder.path).run(['merge', '--ff-only', '--quiet', to]);
    else await casUpdateRef(repo.git, { ref, newSha: to, oldSha: from, reason: `ccwave: land ${integrationBranch}` });
  });
  recorder.record({ type: 'land-done', branch: base, sha: to });
  return { landed: true, sha: to, how: holder ? 'checkout' : 'ref' };
}
