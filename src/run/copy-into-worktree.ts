import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, readlinkSync, realpathSync, type Stats } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isInside } from '../plan/repo-root.js';

const execFileAsync = promisify(execFile);

/** What became of one `copy` entry: copied, not there to copy, or left out and why. */
export type CopyOutcome = { kind: 'copied' } | { kind: 'missing' } | { kind: 'skipped'; reason: string };

/**
 * Copies `entry` (relative to the repository root) from the user's checkout into a task's
 * worktree, as a copy-on-write clone where the filesystem can. The worktree holds whatever earlier
 * waves committed, agents included: the copy never goes through a symlink there, never replaces an
 * entry that exists, and never brings in a link that leads out of the repository.
 */
export async function copyIntoWorktree(root: string, worktree: string, entry: string): Promise<CopyOutcome> {
  const parts = path
    .normalize(entry)
    .split(path.sep)
    .filter((part) => part !== '' && part !== '.');
  if (parts.length === 0 || path.isAbsolute(entry) || parts.includes('..') || entry.includes('\0')) return skipped('it is not a path inside the repository');
  const from = path.join(root, ...parts);
  const source = lstatOrUndefined(from);
  if (!source) return { kind: 'missing' };
  const sourceProblem = sourceLinkProblem(root, from, source);
  if (sourceProblem) return skipped(sourceProblem);

  for (let i = 1; i < parts.length; i++) {
    const folder = path.join(worktree, ...parts.slice(0, i));
    const shown = parts.slice(0, i).join('/');
    const stats = lstatOrUndefined(folder);
    if (!stats) mkdirSync(folder);
    else if (stats.isSymbolicLink()) return skipped(`\`${shown}\` is a symlink in the worktree`);
    else if (!stats.isDirectory()) return skipped(`\`${shown}\` is not a folder in the worktree`);
  }
  const to = path.join(worktree, ...parts);
  const existing = lstatOrUndefined(to);
  if (existing?.isSymbolicLink()) return skipped('it is a symlink in the worktree');
  if (existing) return skipped('it already exists in the worktree (committed on the branch?)');
  try {
    // -a keeps links as links (never their targets); -T: never copy into `to` if it became a folder.
    await execFileAsync('cp', ['-a', '--no-dereference', '--reflink=auto', '-T', '--', from, to]);
  } catch (error) {
    // An unreadable file in the user's copy fails this task's setup, not the whole run.
    const stderr = (error as { stderr?: string }).stderr?.trim().split('\n')[0];
    return skipped(`cp failed: ${stderr || (error as Error).message}`);
  }
  return { kind: 'copied' };
}

/** A source that leads out of the repository, by a link of its own or a linked folder above it. */
function sourceLinkProblem(root: string, from: string, stats: Stats): string | undefined {
  let real: string;
  try {
    real = realpathSync(from);
  } catch {
    return 'it is a symlink whose target does not exist';
  }
  if (!isInside(realpathSync(root), real)) return 'it leads outside the repository through a symlink';
  // Copied as a link, an absolute target would still point into the user's checkout.
  if (stats.isSymbolicLink() && path.isAbsolute(readlinkSync(from))) return 'it is a symlink with an absolute target';
  return undefined;
}

function lstatOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function skipped(reason: string): CopyOutcome {
  return { kind: 'skipped', reason };
}
