import { statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';

/**
 * `-C <dir>`: from here on ccwave works as if started in `dir`, as `git -C` does. A relative plan
 * path, `--dir` and `--cwd` are then taken from `dir`, and the repository is the one holding it.
 */
export function enterWorkingDir(dir: string | undefined): void {
  if (dir === undefined) return;
  const absolute = path.resolve(dir);
  let isFolder: boolean;
  try {
    isFolder = statSync(absolute).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new UserError(`-C ${dir}: ${absolute} is not a folder`, { hint: 'give -C an existing folder: your repository or one inside it' });
  process.chdir(absolute);
}
