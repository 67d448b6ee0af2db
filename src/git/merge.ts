import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GitExec } from './exec.js';
import { casUpdateRef, currentBranch, isAncestor, revParse } from './refs.js';
import { assertNoOperationInProgress, dirtyPaths, worktreeGitDir } from './repo-state.js';
import type { Repo } from './repo.js';
import { mergeMessage, parseMergeTrailers, TRAILER_KEYS, type MergeTrailers } from './trailers.js';
import { samePath, WorktreeDirtyError } from './worktrees.js';

export interface MergeRequest {
  /** The integration worktree. Never the user's checkout. */
  worktree: string;
  /** The task branch tip recorded in the journal (a full sha, not a branch name that may move). */
  tip: string;
  runId: string;
  taskId: string;
  /** First line of the merge commit message. */
  subject: string;
}

export type MergeOutcome =
  | { status: 'merged'; mergeSha: string; parentSha: string }
  | { status: 'already-merged'; head: string }
  | { status: 'conflict'; conflictedPaths: string[] };

/**
 * Merges a recorded tip with `--no-ff` in the integration worktree, with trailers naming the task,
 * run and tip. On conflict the merge is aborted (the worktree is left as before) and the
 * conflicting paths are returned. A tip already in HEAD's history is not merged twice.
 */
export function mergeTip(repo: Repo, request: MergeRequest): Promise<MergeOutcome> {
  return repo.exclusive(async () => {
    const exec = repo.at(request.worktree);
    await assertMergeableWorktree(repo, exec);
    const head = await revParse(exec, 'HEAD');
    if (!head) throw new Error(`${request.worktree} has no HEAD commit`);
    if ((await revParse(exec, request.tip)) !== request.tip) {
      throw new Error(`merge tip ${request.tip} is not a full commit sha in this repository`);
    }
    if (await isAncestor(exec, request.tip, head)) return { status: 'already-merged', head };

    const trailers: MergeTrailers = { task: request.taskId, run: request.runId, tip: request.tip };
    const message = mergeMessage(request.subject, trailers);
    const { exitCode, stdout } = await exec.run(['merge', '--no-ff', '--no-edit', '-m', message, '--end-of-options', request.tip], [1]);
    if (exitCode !== 0) {
      if (!existsSync(path.join(await worktreeGitDir(exec), 'MERGE_HEAD'))) {
        // Git refused before starting (e.g. an untracked file would be overwritten).
        throw new Error(`git merge of ${request.tip} in ${request.worktree} failed: ${stdout.trim()}`);
      }
      const conflictedPaths = await exec.fields(['diff', '--name-only', '--diff-filter=U', '-z']);
      await exec.run(['merge', '--abort']);
      if (conflictedPaths.length === 0) {
        // Stopped without conflicts: a hook (pre-merge-commit, commit-msg) refused the commit.
        throw new Error(`git merge of ${request.tip} in ${request.worktree} stopped without conflicts: ${stdout.trim()}`);
      }
      return { status: 'conflict', conflictedPaths };
    }
    const mergeSha = await revParse(exec, 'HEAD');
    if (!mergeSha) throw new Error('HEAD vanished after a merge');
    return { status: 'merged', mergeSha, parentSha: head };
  });
}

async function assertMergeableWorktree(repo: Repo, exec: GitExec): Promise<void> {
  // The main worktree's git dir is the common dir; every linked worktree has its own.
  const gitDir = await worktreeGitDir(exec);
  if (samePath(gitDir, repo.commonDir) || samePath(exec.cwd, repo.topLevel)) {
    throw new Error(`refusing to merge in ${exec.cwd}: it is the user's own checkout`);
  }
  await assertNoOperationInProgress(exec, gitDir);
  const dirty = await dirtyPaths(exec);
  if (dirty.length > 0) throw new WorktreeDirtyError(exec.cwd, dirty);
}

/** Cancels a merge left half-done (e.g. by a crash) in one of ccwave's worktrees. */
export function abortMergeIfAny(repo: Repo, worktree: string): Promise<boolean> {
  return repo.exclusive(async () => {
    const exec = repo.at(worktree);
    if (!existsSync(path.join(await worktreeGitDir(exec), 'MERGE_HEAD'))) return false;
    await exec.run(['merge', '--abort']);
    return true;
  });
}

export interface Rewind {
  worktree: string;
  /** Short name of the branch checked out in `worktree`. */
  branch: string;
  /** Where the branch must be now (compare-and-swap). */
  expected: string;
  to: string;
  reason: string;
}

/**
 * Moves the integration branch back (e.g. undoing a merge whose tests failed) with a CAS ref update,
 * then syncs its clean worktree. The undone merge stays reachable from the task's branch and reflog.
 */
export function rewindBranch(repo: Repo, rewind: Rewind): Promise<void> {
  return repo.exclusive(async () => {
    const exec = repo.at(rewind.worktree);
    await assertMergeableWorktree(repo, exec);
    if ((await currentBranch(exec)) !== rewind.branch) {
      throw new Error(`${rewind.worktree} does not have ${rewind.branch} checked out`);
    }
    await casUpdateRef(exec, { ref: `refs/heads/${rewind.branch}`, newSha: rewind.to, oldSha: rewind.expected, reason: rewind.reason });
    await exec.run(['reset', '--hard', '--quiet']);
  });
}

export interface FoundMerge {
  sha: string;
  parents: string[];
  trailers: MergeTrailers;
}

/** Merge commits in `ref`'s history carrying our trailers for `runId` (and `taskId` if given). */
export async function findMergesByTrailer(
  exec: GitExec,
  query: { ref: string; runId: string; taskId?: string; since?: string },
): Promise<FoundMerge[]> {
  const range = query.since ? `${query.since}..${query.ref}` : query.ref;
  const { stdout } = await exec.run([
    'log',
    '--merges',
    '--fixed-strings',
    `--grep=${TRAILER_KEYS.run}: ${query.runId}`,
    '--format=%H%x1f%P%x1f%(trailers:only,unfold)%x1e',
    range,
    '--',
  ]);
  const found: FoundMerge[] = [];
  for (const record of stdout.split('\x1e')) {
    const [sha, parents, block] = record.replace(/^\n/, '').split('\x1f');
    if (!sha || parents === undefined || block === undefined) continue;
    const trailers = parseMergeTrailers(block);
    if (!trailers || trailers.run !== query.runId) continue;
    if (query.taskId !== undefined && trailers.task !== query.taskId) continue;
    found.push({ sha, parents: parents.split(' ').filter(Boolean), trailers });
  }
  return found;
}
