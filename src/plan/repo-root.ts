import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The working tree root that holds `dir` (the nearest folder with a `.git` entry, which is a file
 * in linked worktrees), or undefined outside git. Pure filesystem: validation spawns nothing.
 */
export function enclosingRepoRoot(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** True when `target` is `root` or inside it. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** The real path of `p` (symlinks resolved), or of its nearest existing parent joined with the rest. */
export function realOr(p: string): string {
  try {
    // The system's realpath: one call, where Node's own walks the path with an lstat per part.
    return realpathSync.native(p);
  } catch {
    const parent = path.dirname(p);
    return parent === p ? p : path.join(realOr(parent), path.basename(p));
  }
}
