import type { GitExec } from './exec.js';

/** The files that differ between two commits. */
export function changedFiles(exec: GitExec, from: string, to: string): Promise<string[]> {
  return exec.lines(['diff', '--name-only', from, to, '--']);
}

/** The commits reachable from `tip` and not from `not`, newest first. */
export function commitsNotIn(exec: GitExec, tip: string, not: string): Promise<string[]> {
  return exec.lines(['rev-list', tip, '--not', not, '--']);
}

/** The value of trailer `key` on each first-parent commit in `from..to` (empty where it has none). */
export async function firstParentTrailerValues(exec: GitExec, key: string, from: string, to: string): Promise<string[]> {
  const { stdout } = await exec.run(['log', '--first-parent', `--format=%(trailers:key=${key},valueonly)%x1e`, `${from}..${to}`, '--']);
  return stdout
    .split('\x1e')
    .slice(0, -1)
    .map((value) => value.trim());
}

/** A merge commit of `tree` with parents `onto` and `tip`, made from objects alone: no ref moves. */
export function commitMergeTree(exec: GitExec, tree: string, onto: string, tip: string, message: string): Promise<string> {
  return exec.text(['commit-tree', tree, '-p', onto, '-p', tip, '-m', message]);
}
