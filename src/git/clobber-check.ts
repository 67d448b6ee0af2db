import { lstatSync, readdirSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { GitExec } from './exec.js';

/** Bounds the walk of a folder that a new file would replace: a few offenders are enough to refuse. */
const MAX_REPORTED = 20;

/** What a fast-forward of a clean checkout would destroy that git's own checks do not see. */
export interface Clobbered {
  /**
   * Paths git does not track at `from` that moving to `to` would overwrite or delete: untracked
   * and ignored files, and symlinks or files where `to` needs a folder. `merge --ff-only` silently
   * replaces ignored files, which were never in git, so they would be lost for good.
   */
  untracked: string[];
  /**
   * Tracked files the move would change whose local edits git was told not to look at
   * (`update-index --assume-unchanged` or `--skip-worktree`, often used for a config file with
   * secrets): `git status` shows them clean, so a dirty check can't see what would be lost.
   */
  hidden: string[];
}

/** For the checkout at `exec.cwd`, whose HEAD is `from` and which `git status` calls clean. */
export async function clobberedByMove(exec: GitExec, from: string, to: string): Promise<Clobbered> {
  const changes = await changesBetween(exec, from, to);
  return { untracked: untrackedAmong(exec.cwd, changes), hidden: await hiddenAmong(exec, changes) };
}

async function hiddenAmong(exec: GitExec, changes: Change[]): Promise<string[]> {
  const changed = new Set(changes.filter((c) => c.status !== 'A').map((c) => c.path));
  if (changed.size === 0) return [];
  const hidden: string[] = [];
  // `ls-files -v` tags assume-unchanged entries with a lowercase letter and skip-worktree with S.
  for (const field of await exec.fields(['ls-files', '-v', '-z'])) {
    const tag = field.charAt(0);
    const file = field.slice(2);
    const flagged = tag === 'S' || (tag >= 'a' && tag <= 'z');
    // A skip-worktree file that is not there (sparse checkout) has nothing to lose.
    if (flagged && changed.has(file) && lstat(path.join(exec.cwd, file))) hidden.push(file);
  }
  return hidden;
}

function changesBetween(exec: GitExec, from: string, to: string): Promise<Change[]> {
  return exec.fields(['diff', '--no-renames', '--name-status', '-z', from, to, '--']).then(parseNameStatus);
}

function untrackedAmong(root: string, changes: Change[]): string[] {
  // Paths `from` tracks that `to` drops: on a clean checkout they are git's to remove.
  const removed = new Set(changes.filter((c) => c.status === 'D').map((c) => c.path));
  const found = new Set<string>();
  for (const change of changes) {
    if (change.status === 'D') continue;
    const blocker = leadingNonFolder(root, change.path);
    if (blocker !== undefined && !removed.has(blocker)) found.add(blocker);
    // Modified and type-changed paths are tracked at `from`; only an added one can meet a stranger.
    if (change.status === 'A' && blocker === undefined) {
      for (const stranger of strangersAt(root, change.path, removed)) found.add(stranger);
    }
    if (found.size >= MAX_REPORTED) break;
  }
  return [...found];
}

interface Change {
  status: string;
  path: string;
}

/** `--name-status -z` without renames: a status field, then one path field. */
function parseNameStatus(fields: string[]): Change[] {
  const changes: Change[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) changes.push({ status: fields[i]!.charAt(0), path: fields[i + 1]! });
  return changes;
}

/** The first leading component of `file` that exists but is not a real folder (a file or a symlink). */
function leadingNonFolder(root: string, file: string): string | undefined {
  const parts = file.split('/');
  for (let n = 1; n < parts.length; n += 1) {
    const prefix = parts.slice(0, n).join('/');
    const stat = lstat(path.join(root, prefix));
    if (!stat) return undefined;
    if (!stat.isDirectory()) return prefix;
  }
  return undefined;
}

/** What already sits where `file` will be created, except what `to` removes anyway. */
function strangersAt(root: string, file: string, removed: ReadonlySet<string>): string[] {
  const stat = lstat(path.join(root, file));
  if (!stat) return [];
  if (!stat.isDirectory()) return [file];
  const inside: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel))) {
      if (inside.length >= MAX_REPORTED) return;
      const child = `${rel}/${name}`;
      const childStat = lstat(path.join(root, child));
      if (childStat?.isDirectory()) walk(child);
      else if (!removed.has(child)) inside.push(child);
    }
  };
  walk(file);
  return inside;
}

function lstat(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
