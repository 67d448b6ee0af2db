import { GitCommandError, splitNul, type GitExec } from './exec.js';

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

/** `git diff --numstat -z --no-renames` between two commits: one `added<TAB>deleted<TAB>path` record per file. */
export async function numstat(exec: GitExec, from: string, to: string): Promise<string> {
  const { stdout } = await exec.run(['diff', '--numstat', '-z', '--no-renames', '--no-ext-diff', '--end-of-options', from, to, '--']);
  return stdout;
}

/**
 * `numstat` of many commit pairs from one `git diff-tree --stdin`: the records of each pair, in the
 * order given (undefined for a pair git could not read). Each input line is `to from` (a commit and
 * the parent to compare it with); git echoes `to` before its records (`--always`: even with none),
 * and skips a line it cannot read, with a message on stderr.
 */
export async function numstatMany(exec: GitExec, pairs: readonly { from: string; to: string }[]): Promise<(string | undefined)[]> {
  const input = pairs.map((pair) => `${pair.to} ${pair.from}\n`).join('');
  const { stdout } = await exec.run(['diff-tree', '--stdin', '--always', '-r', '--numstat', '-z', '--no-renames', '--no-ext-diff'], [], input);
  const bySha = new Map<string, string[]>();
  let current: string[] = [];
  for (const field of splitNul(stdout)) {
    // A record always holds tabs (`added<TAB>deleted<TAB>path`); a field without one is an echoed commit.
    if (!field.includes('\t')) bySha.set(field, (current = []));
    else current.push(field);
  }
  return pairs.map((pair) =>
    bySha
      .get(pair.to)
      ?.map((record) => `${record}\0`)
      .join(''),
  );
}

/** The first parent of `sha`, or undefined for a root commit or a sha git does not have. */
export function firstParent(exec: GitExec, sha: string): Promise<string | undefined> {
  return orUndefined(exec.text(['rev-parse', '--verify', '--quiet', '--end-of-options', `${sha}^1^{commit}`]));
}

/** The best common ancestor of two commits, or undefined when they share none (or git lacks one). */
export function mergeBase(exec: GitExec, a: string, b: string): Promise<string | undefined> {
  return orUndefined(exec.text(['merge-base', '--end-of-options', a, b]));
}

/** The last `count` first-parent commits of `tip`, each as `sha<US>trailers<RS>`. */
export async function recentFirstParentTrailers(exec: GitExec, tip: string, count: number): Promise<string> {
  const { stdout } = await exec.run(['log', '--first-parent', `-${count}`, '--format=%H%x1f%(trailers:only,unfold)%x1e', '--end-of-options', tip, '--']);
  return stdout;
}

/** A git answer, or undefined where git said no (a non-zero exit); other failures still throw. */
async function orUndefined(answer: Promise<string>): Promise<string | undefined> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
  }
}
