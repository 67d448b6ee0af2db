import { existsSync, lstatSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { plural } from '../format/plural.js';
import type { GitExec } from './exec.js';
import { casUpdateRef } from './refs.js';
import { dirtyPaths } from './repo-state.js';
import type { Repo } from './repo.js';
import { sanitizeComponent } from './branch-names.js';
import { parseWorktreeList, type WorktreeEntry } from './worktree-list.js';

export type { WorktreeEntry } from './worktree-list.js';

/** Folder name of the integration worktree; task folders start with a letter or digit, so no clash. */
const INTEGRATION_FOLDER = '_integration';

export async function listWorktrees(exec: GitExec): Promise<WorktreeEntry[]> {
  const { stdout } = await exec.run(['worktree', 'list', '--porcelain', '-z']);
  return parseWorktreeList(stdout);
}

/** The user's own checkout (the main worktree). */
export async function mainWorktreePath(repo: Repo): Promise<string> {
  const main = (await listWorktrees(repo.git)).find((entry) => entry.main);
  return main?.path ?? repo.topLevel;
}

/**
 * Default home of ccwave's worktrees: a sibling folder `../<repo>.ccwave`, outside the user's
 * working tree so their editor, tests and `git status` never see the agents' copies.
 */
export async function defaultWorktreeRoot(repo: Repo): Promise<string> {
  const main = await mainWorktreePath(repo);
  return path.join(path.dirname(main), `${path.basename(main)}.ccwave`);
}

export function taskWorktreePath(root: string, runId: string, taskId: string): string {
  return path.join(root, sanitizeComponent(runId), sanitizeComponent(taskId));
}

export function integrationWorktreePath(root: string, runId: string): string {
  return path.join(root, sanitizeComponent(runId), INTEGRATION_FOLDER);
}

export interface NewWorktree {
  path: string;
  /** Short branch name to create; it must not exist yet. */
  branch: string;
  /** The commit the branch starts at. */
  fromSha: string;
}

/** Creates a branch at `fromSha` and checks it out in a new worktree at `path`. */
export function addWorktree(repo: Repo, worktree: NewWorktree): Promise<WorktreeEntry> {
  return repo.exclusive(async () => {
    // Git itself refuses an existing branch name (-b), atomically; the folder we check here.
    if (existsSync(worktree.path)) throw new Error(`worktree folder ${worktree.path} already exists`);
    await repo.git.run(['worktree', 'add', '--quiet', '-b', worktree.branch, '--end-of-options', worktree.path, worktree.fromSha]);
    return {
      path: worktree.path,
      head: worktree.fromSha,
      branch: `refs/heads/${worktree.branch}`,
      detached: false,
      bare: false,
      locked: false,
      prunable: false,
      main: false,
    };
  });
}

/**
 * Creates a branch at `fromSha` and a worktree at `path` detached at that commit. For the
 * integration branch, which ccwave moves by compare-and-swap: checked out, every move would leave
 * the worktree's files behind and `git status` there would show the whole run reverted.
 */
export function addDetachedWorktree(repo: Repo, worktree: NewWorktree): Promise<WorktreeEntry> {
  return repo.exclusive(async () => {
    if (existsSync(worktree.path)) throw new Error(`worktree folder ${worktree.path} already exists`);
    // The branch first: should the worktree fail, a resumed run finds the branch and makes it again.
    await casUpdateRef(repo.git, { ref: `refs/heads/${worktree.branch}`, newSha: worktree.fromSha, oldSha: null, reason: 'ccwave: start the integration branch' });
    await repo.git.run(['worktree', 'add', '--quiet', '--detach', '--end-of-options', worktree.path, worktree.fromSha]);
    return { path: worktree.path, head: worktree.fromSha, branch: undefined, detached: true, bare: false, locked: false, prunable: false, main: false };
  });
}

/** Checks out an existing branch in a new worktree at `path`: its folder was deleted, its commits were not. */
export async function addWorktreeOfBranch(repo: Repo, worktreePath: string, branch: string): Promise<void> {
  await repo.exclusive(() => repo.git.run(['worktree', 'add', '--quiet', '--end-of-options', worktreePath, branch]));
}

/** Within `repo.exclusive`: a new worktree at `path`, detached at `sha` (no branch is made). */
export async function addWorktreeAt(exec: GitExec, worktreePath: string, sha: string): Promise<void> {
  await exec.run(['worktree', 'add', '--quiet', '--detach', '--end-of-options', worktreePath, sha]);
}

/** Within `repo.exclusive`: forgets a registered worktree, removing its folder if it is still there. */
export async function forceRemoveWorktree(exec: GitExec, worktreePath: string): Promise<void> {
  await exec.run(['worktree', 'remove', '--force', '--end-of-options', worktreePath]);
}

/** Drops metadata of every worktree whose folder was deleted by hand, the user's included. */
export async function pruneWorktrees(repo: Repo): Promise<void> {
  await repo.exclusive(() => repo.git.run(['worktree', 'prune']));
}

/**
 * The top folder and the git dir of the worktree `exec` runs in, as git sees them (one process);
 * undefined where git finds no working tree there.
 */
export async function worktreeLocation(exec: GitExec): Promise<{ top: string; gitDir: string } | undefined> {
  const { stdout, exitCode } = await exec.run(['rev-parse', '--show-toplevel', '--absolute-git-dir'], [128]);
  const [top, gitDir] = stdout.split('\n');
  return exitCode === 0 && top && gitDir ? { top, gitDir } : undefined;
}

export interface RemoveOptions {
  /** Remove even with uncommitted changes (they are lost); never when locked. */
  force?: boolean;
}

/** A worktree holds uncommitted work and removing it would lose that work. */
export class WorktreeDirtyError extends UserError {
  readonly worktreePath: string;
  readonly paths: string[];

  constructor(worktreePath: string, paths: string[]) {
    super(`${worktreePath} has uncommitted changes (${plural(paths.length, 'file')})`, {
      hint: 'commit or copy the changes first, or pass --force to discard them',
    });
    this.name = 'WorktreeDirtyError';
    this.worktreePath = worktreePath;
    this.paths = paths;
  }
}

/** Removes one of ccwave's worktrees; refuses the user's checkout, and dirty ones unless forced. */
export function removeWorktree(repo: Repo, worktreePath: string, options: RemoveOptions = {}): Promise<void> {
  return repo.exclusive(async () => {
    const entry = (await listWorktrees(repo.git)).find((item) => sameLocation(item.path, worktreePath));
    if (!entry) throw new Error(`${worktreePath} is not a worktree of ${repo.topLevel}`);
    // Git would remove whatever the symlink leads to: someone else's folder, not this worktree.
    if (lstatOrUndefined(entry.path)?.isSymbolicLink()) throw new Error(`refusing to remove ${entry.path}: it is a symlink now, not the worktree`);
    if (entry.main || samePath(entry.path, repo.topLevel)) {
      throw new Error(`refusing to remove ${worktreePath}: it is the user's own checkout`);
    }
    // One --force only: git wants two to remove a locked worktree, and a lock is the user saying
    // "keep this" (a lock taken after clean looked is still honoured). A worktree whose folder is
    // already gone is removed too: git then drops just its metadata (unlike `worktree prune`).
    const force = options.force ? ['--force'] : [];
    try {
      // Without --force, git itself refuses a worktree with modified or untracked files.
      await repo.git.run(['worktree', 'remove', ...force, '--end-of-options', entry.path]);
    } catch (error) {
      if (!existsSync(entry.path)) throw error;
      const dirty = await dirtyPaths(repo.at(entry.path));
      if (dirty.length > 0) throw new WorktreeDirtyError(entry.path, dirty);
      throw error;
    }
  });
}

/**
 * Like samePath, but a symlink in the last component is not followed: it is a place of its own.
 * For ccwave's recorded worktree paths, where an agent can put a symlink to someone else's folder.
 */
export function sameLocation(a: string, b: string): boolean {
  const place = (p: string): string => {
    const absolute = path.resolve(p);
    return path.join(canonical(path.dirname(absolute)), path.basename(absolute));
  };
  return place(a) === place(b);
}

/** Compares paths the way git reports them: absolute, with symlinks (such as macOS's /var) resolved. */
export function samePath(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function canonical(p: string): string {
  const absolute = path.resolve(p);
  return existsSync(absolute) ? realpathSync(absolute) : absolute;
}
