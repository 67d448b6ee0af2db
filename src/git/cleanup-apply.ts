import { rmdirSync } from 'node:fs';
import path from 'node:path';
import { archiveAndDeleteBranch } from './archive.js';
import type { CleanupPlan } from './cleanup-plan.js';
import { RefMovedError } from './refs.js';
import type { Repo } from './repo.js';
import { listWorktrees, removeWorktree } from './worktrees.js';

export interface CleanupResult {
  removedWorktrees: string[];
  prunedWorktrees: string[];
  deletedBranches: Array<{ branch: string; archiveRef: string }>;
  /** Planned steps that did not happen, and why. Nothing else was touched for them. */
  failures: Array<{ kind: 'worktree' | 'branch'; name: string; reason: string }>;
}

/** Carries out a clean plan: worktrees first (so branches are free), then archive-and-delete branches. */
export async function applyCleanup(repo: Repo, plan: CleanupPlan): Promise<CleanupResult> {
  const result: CleanupResult = { removedWorktrees: [], prunedWorktrees: [], deletedBranches: [], failures: [] };
  for (const worktree of plan.removeWorktrees) {
    try {
      await removeWorktree(repo, worktree.path, { force: worktree.force });
      result.removedWorktrees.push(worktree.path);
      removeEmptyParent(worktree.path);
    } catch (error) {
      result.failures.push({ kind: 'worktree', name: worktree.path, reason: message(error) });
    }
  }
  for (const worktree of plan.pruneWorktrees) {
    try {
      await removeWorktree(repo, worktree.path);
      result.prunedWorktrees.push(worktree.path);
      removeEmptyParent(worktree.path);
    } catch (error) {
      result.failures.push({ kind: 'worktree', name: worktree.path, reason: message(error) });
    }
  }

  const checkedOut = new Map((await listWorktrees(repo.git)).flatMap((w) => (w.branch ? [[w.branch.replace(/^refs\/heads\//, ''), w.path] as const] : [])));
  for (const branch of plan.deleteBranches) {
    const where = checkedOut.get(branch.branch);
    if (where) {
      result.failures.push({ kind: 'branch', name: branch.branch, reason: `still checked out in ${where}` });
      continue;
    }
    try {
      const archiveRef = await archiveAndDeleteBranch(repo, branch.branch, branch.sha);
      result.deletedBranches.push({ branch: branch.branch, archiveRef });
    } catch (error) {
      const reason = error instanceof RefMovedError ? 'it moved since it was checked; left alone' : message(error);
      result.failures.push({ kind: 'branch', name: branch.branch, reason });
    }
  }
  return result;
}

/** Removes the run's folder once its last worktree is gone; the root may be the user's own folder. */
function removeEmptyParent(worktreePath: string): void {
  try {
    rmdirSync(path.dirname(worktreePath));
  } catch {
    // Not empty, or already gone: either way, nothing to do.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
