import type { GitExec } from './exec.js';

/**
 * The bytes a checkout of `rev` writes: the sum of its blobs' sizes (`ls-tree -l`; a submodule
 * has no size and counts nothing). What one more worktree of it costs on disk, near enough.
 */
export async function checkedOutSize(exec: GitExec, rev = 'HEAD'): Promise<number> {
  let total = 0;
  for (const entry of await exec.fields(['ls-tree', '-r', '-l', '-z', '--full-tree', rev])) {
    // "<mode> <type> <object> <size>\t<path>": the size is padded with spaces, or "-".
    const size = Number(entry.slice(0, entry.indexOf('\t')).trim().split(/\s+/)[3]);
    if (Number.isFinite(size)) total += size;
  }
  return total;
}
