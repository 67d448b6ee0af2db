import { GitCommandError, splitNul, type GitExec } from '../git/exec.js';
import { numstat, numstatMany } from '../git/history.js';
import type { DiffFacts } from './retro-types.js';

/** Enough paths to spot overlaps between tasks; a task changing more is summarised by its counts. */
export const MAX_DIFF_FILES = 200;

/**
 * What changed between two commits, from one `git diff --numstat` (its sums are `--shortstat`'s).
 * Undefined when git no longer has either commit (e.g. a branch deleted and collected since).
 */
export async function diffStat(exec: GitExec, fromSha: string, toSha: string): Promise<DiffFacts | undefined> {
  if (fromSha === toSha) return { filesChanged: 0, insertions: 0, deletions: 0, files: [] };
  let stdout: string;
  try {
    // Without renames every record is one `added<TAB>deleted<TAB>path` field, whatever the config.
    stdout = await numstat(exec, fromSha, toSha);
  } catch (error) {
    if (error instanceof GitCommandError) return undefined;
    throw error;
  }
  return parseNumstat(stdout);
}

/**
 * `diffStat` of many ranges, by one git process where it can: pairs of full SHAs whose `to` is
 * unique. Any other range, and one that process could not read (a commit git no longer has), is
 * read on its own.
 */
export async function diffStats(exec: GitExec, ranges: readonly { from: string; to: string }[]): Promise<(DiffFacts | undefined)[]> {
  const tos = ranges.map((range) => range.to);
  const batchable = ranges.filter((range) => range.from !== range.to && FULL_SHA.test(range.from) && FULL_SHA.test(range.to) && tos.indexOf(range.to) === tos.lastIndexOf(range.to));
  const batched = new Map<{ from: string; to: string }, DiffFacts>();
  if (batchable.length > 1) {
    const outputs = await numstatMany(exec, batchable).catch((error: unknown) => {
      if (error instanceof GitCommandError) return undefined;
      throw error;
    });
    outputs?.forEach((output, i) => {
      if (output !== undefined) batched.set(batchable[i]!, parseNumstat(output));
    });
  }
  return Promise.all(ranges.map((range) => batched.get(range) ?? diffStat(exec, range.from, range.to)));
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Parses `git diff --numstat -z --no-renames`; binary files count as changed with no lines. */
export function parseNumstat(output: string): DiffFacts {
  const facts: DiffFacts = { filesChanged: 0, insertions: 0, deletions: 0, files: [] };
  for (const record of splitNul(output)) {
    const [added, deleted, ...rest] = record.split('\t');
    const file = rest.join('\t');
    if (added === undefined || deleted === undefined || file === '') continue;
    facts.filesChanged += 1;
    facts.insertions += Number(added) || 0;
    facts.deletions += Number(deleted) || 0;
    if (facts.files.length < MAX_DIFF_FILES) facts.files.push(file);
  }
  return facts;
}
