import { existsSync } from 'node:fs';
import { integrationBranchName, taskBranchName, uniqueBranchName } from './branch-names.js';
import type { Repo } from './repo.js';
import { integrationWorktreePath, taskWorktreePath, type NewWorktree } from './worktrees.js';

/** How many `-2`, `-3`, ... folder suffixes to try when two task ids sanitize to the same name. */
const MAX_PATH_SUFFIX = 100;

export interface TaskWorktreeSpec {
  /** Folder holding all runs' worktrees (default: defaultWorktreeRoot). */
  root: string;
  runId: string;
  wave: number;
  taskId: string;
  fromSha: string;
}

/**
 * Picks a free branch name and folder for a task without creating anything, so the runner can
 * journal the intent (with these names) before `addWorktree` acts on it.
 */
export async function planTaskWorktree(repo: Repo, spec: TaskWorktreeSpec): Promise<NewWorktree> {
  const branch = await uniqueBranchName(repo.git, taskBranchName(spec.runId, spec.wave, spec.taskId));
  return { branch, path: freePath(taskWorktreePath(spec.root, spec.runId, spec.taskId)), fromSha: spec.fromSha };
}

/** The run's integration branch and worktree, forked from `base`: merges never happen in the user's checkout. */
export async function planIntegrationWorktree(repo: Repo, spec: { root: string; runId: string; baseSha: string }): Promise<NewWorktree> {
  const branch = await uniqueBranchName(repo.git, integrationBranchName(spec.runId));
  return { branch, path: freePath(integrationWorktreePath(spec.root, spec.runId)), fromSha: spec.baseSha };
}

function freePath(wanted: string): string {
  for (let n = 1; n <= MAX_PATH_SUFFIX; n += 1) {
    const candidate = n === 1 ? wanted : `${wanted}-${n}`;
    if (!existsSync(candidate)) return candidate;
  }
  throw new Error(`no free folder like ${wanted} after ${MAX_PATH_SUFFIX} tries`);
}
