import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { operationInProgress, type GitOperation } from './repo-state.js';
import type { Repo } from './repo.js';
import { mainWorktreePath } from './worktrees.js';

export type BranchOperation = GitOperation | 'bisect';

/** A worktree in the middle of something that will move or check out the branch when it ends. */
export interface OperationOnBranch {
  /** The worktree's folder (it may be gone). */
  worktree: string;
  operation: BranchOperation;
}

/**
 * Every worktree whose unfinished git operation concerns `ref` (refs/heads/<name>). During a rebase
 * or a bisect HEAD is detached, so "who has it checked out" misses them: their own git dirs say it.
 * A branch moved under such an operation strands the user (the rebase ends on the old history, the
 * bisect resets to a tip that is not the one they started from).
 */
export async function operationsOnBranch(repo: Repo, ref: string): Promise<OperationOnBranch[]> {
  const found: OperationOnBranch[] = [];
  for (const gitDir of worktreeGitDirs(repo)) {
    const operation = operationOn(gitDir, ref);
    if (operation) found.push({ worktree: gitDir === repo.commonDir ? await mainWorktreePath(repo) : linkedWorktreeOf(gitDir), operation });
  }
  return found;
}

/** The main worktree's git dir is the common dir; linked ones live under `worktrees/`. */
function worktreeGitDirs(repo: Repo): string[] {
  const linked = path.join(repo.commonDir, 'worktrees');
  const names = existsSync(linked) ? readdirSync(linked) : [];
  return [repo.commonDir, ...names.map((name) => path.join(linked, name))];
}

function operationOn(gitDir: string, ref: string): BranchOperation | undefined {
  const short = ref.replace(/^refs\/heads\//, '');
  // A rebase names the branch it will move back onto when it ends, and (--update-refs) others.
  for (const folder of ['rebase-merge', 'rebase-apply']) {
    if (readLine(path.join(gitDir, folder, 'head-name')) === ref) return 'rebase';
    if (
      readText(path.join(gitDir, folder, 'update-refs'))
        ?.split('\n')
        .includes(ref)
    )
      return 'rebase';
  }
  // `git bisect reset` checks out the branch it started from (short name, or a full ref).
  const bisectStart = readLine(path.join(gitDir, 'BISECT_START'));
  if (bisectStart === short || bisectStart === ref) return 'bisect';
  if (readLine(path.join(gitDir, 'HEAD')) !== `ref: ${ref}`) return undefined;
  // On the branch itself: a merge, cherry-pick, revert or `git am` waiting for the user.
  return operationInProgress(gitDir) ?? (existsSync(path.join(gitDir, 'sequencer')) ? 'cherry-pick' : undefined);
}

/** Where a linked worktree's folder is: its git dir's `gitdir` file points at `<folder>/.git`. */
function linkedWorktreeOf(gitDir: string): string {
  const dotGit = readText(path.join(gitDir, 'gitdir'))?.replace(/\n$/, '');
  return dotGit ? path.dirname(dotGit) : gitDir;
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function readLine(file: string): string | undefined {
  return readText(file)?.replace(/\n$/, '');
}
