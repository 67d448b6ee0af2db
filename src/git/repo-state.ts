import { existsSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { GitExec } from './exec.js';

export type GitOperation = 'merge' | 'rebase' | 'cherry-pick' | 'revert';

/** Files git leaves in a worktree's git dir while an operation waits for the user. */
const OPERATION_MARKERS: ReadonlyArray<[string, GitOperation]> = [
  ['MERGE_HEAD', 'merge'],
  ['rebase-merge', 'rebase'],
  ['rebase-apply', 'rebase'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
];

const HOW_TO_FINISH: Record<GitOperation, string> = {
  merge: 'finish it with `git commit` or cancel it with `git merge --abort`',
  rebase: 'finish it with `git rebase --continue` or cancel it with `git rebase --abort`',
  'cherry-pick': 'finish it with `git cherry-pick --continue` or cancel it with `git cherry-pick --abort`',
  revert: 'finish it with `git revert --continue` or cancel it with `git revert --abort`',
};

/** The operation a worktree is in the middle of, given that worktree's own git dir. */
export function operationInProgress(worktreeGitDir: string): GitOperation | undefined {
  for (const [marker, operation] of OPERATION_MARKERS) {
    if (existsSync(path.join(worktreeGitDir, marker))) return operation;
  }
  return undefined;
}

/** The git dir of the worktree `exec` runs in (per-worktree state such as MERGE_HEAD lives there). */
export async function worktreeGitDir(exec: GitExec): Promise<string> {
  return exec.text(['rev-parse', '--absolute-git-dir']);
}

/** Refuses to go on while a worktree is mid-merge, mid-rebase, mid-cherry-pick or mid-revert. */
export async function assertNoOperationInProgress(exec: GitExec, gitDir?: string): Promise<void> {
  const operation = operationInProgress(gitDir ?? (await worktreeGitDir(exec)));
  if (operation) {
    throw new UserError(`${exec.cwd} is in the middle of a ${operation}`, { hint: HOW_TO_FINISH[operation] });
  }
}

/** Paths with uncommitted changes, untracked files included (they are someone's work too). */
export async function dirtyPaths(exec: GitExec): Promise<string[]> {
  const entries = await exec.fields(['status', '--porcelain=v1', '-z', '--untracked-files=normal']);
  const paths: string[] = [];
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i] ?? '';
    paths.push(entry.slice(3));
    // A rename or copy is followed by its source path as a separate field.
    if (entry[0] === 'R' || entry[0] === 'C') i += 1;
  }
  return paths;
}

/** Whether git sees anything at `relative` it does not have committed: a change, a new file or an ignored one. */
export async function hasUncommittedOrIgnored(exec: GitExec, relative: string): Promise<boolean> {
  const status = await exec.text(['--literal-pathspecs', 'status', '--porcelain=v1', '--ignored', '--untracked-files=all', '--', relative]);
  return status !== '';
}

/**
 * Uncommitted changes split into files git tracks and files it does not (untracked). Untracked
 * folders are one entry unless `only` names files: then just those, each by its own path.
 */
export async function uncommittedChanges(exec: GitExec, only?: readonly string[]): Promise<{ tracked: string[]; untracked: string[] }> {
  // `:(literal)`: a file name is never read as a pattern.
  const pathspec = only ? ['--', ...only.map((file) => `:(literal)${file}`)] : [];
  const entries = await exec.fields(['status', '--porcelain=v1', '-z', `--untracked-files=${only ? 'all' : 'normal'}`, ...pathspec]);
  const tracked: string[] = [];
  const untracked: string[] = [];
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i] ?? '';
    (entry.startsWith('??') ? untracked : tracked).push(entry.slice(3));
    if (entry[0] === 'R' || entry[0] === 'C') i += 1;
  }
  return { tracked, untracked };
}
