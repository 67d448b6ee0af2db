import { existsSync } from 'node:fs';
import { sanitizeComponent } from './branch-names.js';
import type { GitExec } from './exec.js';
import { readRef } from './refs.js';
import type { Repo } from './repo.js';

/** Where a task's commits are kept whatever its agent does to its branch: `refs/ccwave/kept/<run>/<task>/<sha>`. */
export const KEPT_REF_PREFIX = 'refs/ccwave/kept/';

export function keptRefPrefix(runId: string, taskId: string): string {
  return `${KEPT_REF_PREFIX}${sanitizeComponent(runId)}/${sanitizeComponent(taskId)}/`;
}

export interface TaskCommits {
  runId: string;
  taskId: string;
  worktree: string;
  branch: string;
  fromSha: string;
  /** The tip ccwave recorded for the attempt, if it had commits. */
  tip?: string;
  /** Commits known to be in `tip`'s history (the attempt's own, since the fork point). */
  inTip?: readonly string[];
}

/**
 * An agent can reset, rewrite, rename or delete its branch, or commit on a detached HEAD. Whatever it
 * did, every commit it made is kept reachable: the recorded tip and every head its worktree's HEAD
 * and its branch pointed to (their reflogs), minus what the fork point already holds, each under a
 * ref of its own named by its sha. Refs are created, never moved. Returns the refs created.
 */
export function keepTaskCommits(repo: Repo, task: TaskCommits): Promise<string[]> {
  return repo.exclusive(async () => {
    const shas = await reflogs(repo, task);
    // Usually one linear history: every head the reflogs name is the fork point or in the tip's
    // history already, and only the tip needs a ref (no further git process to find out).
    const covered = new Set([task.fromSha, ...(task.tip ? [task.tip, ...(task.inTip ?? [])] : [])]);
    const heads = shas.every((sha) => covered.has(sha)) ? (task.tip ? [task.tip] : []) : await newHeads(repo.git, shas, task.fromSha, task.tip);
    const prefix = keptRefPrefix(task.runId, task.taskId);
    const created: string[] = [];
    for (const sha of heads) {
      const ref = await keep(repo, `${prefix}${sha}`, sha);
      if (ref) created.push(ref);
    }
    return created;
  });
}

/** How many `-2`, `-3`, ... suffixes to try when a ref of that name (planted by an agent) holds another commit. */
const MAX_SUFFIX = 10;

/** Creates `ref` at `sha` (create-only, never moving a ref); returns the ref created, if one was. */
async function keep(repo: Repo, wanted: string, sha: string): Promise<string | undefined> {
  for (let n = 1; n <= MAX_SUFFIX; n += 1) {
    const ref = n === 1 ? wanted : `${wanted}-${n}`;
    // Created unless it exists: only then is it read, to tell "kept already" from a planted ref.
    const result = await repo.git.run(['update-ref', '-m', 'ccwave: keep a task commit', ref, sha, ''], [128]);
    if (result.exitCode === 0) return ref;
    if ((await readRef(repo.git, ref)) === sha) return undefined;
  }
  throw new Error(`no free ref like ${wanted} after ${MAX_SUFFIX} tries`);
}

/**
 * The commits the worktree's HEAD and the task branch pointed to, from their reflogs: one process
 * for both while both are there, else each on its own (a gone ref or log names none).
 */
async function reflogs(repo: Repo, task: TaskCommits): Promise<string[]> {
  const branch = `refs/heads/${task.branch}`;
  if (!existsSync(task.worktree)) return reflog(repo.git, branch);
  const both = await reflogOf(repo.at(task.worktree), ['HEAD', branch]);
  if (both) return [...new Set(both)];
  return [...new Set([...(await reflog(repo.at(task.worktree), 'HEAD')), ...(await reflog(repo.git, branch))])];
}

/** The commits a ref's reflog names (empty when the ref or its log is gone). */
async function reflog(exec: GitExec, ref: string): Promise<string[]> {
  return (await reflogOf(exec, [ref])) ?? [];
}

/** The commits the reflogs of `refs` name; undefined when one of them is gone. */
async function reflogOf(exec: GitExec, refs: string[]): Promise<string[] | undefined> {
  const { stdout, exitCode } = await exec.run(['log', '-g', '--format=%H', ...refs, '--'], [128]);
  return exitCode === 0 ? stdout.split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line)) : undefined;
}

/** The commits among `shas` (and `tip`) that neither the fork point nor another of them contains. */
async function newHeads(exec: GitExec, shas: string[], fromSha: string, tip: string | undefined): Promise<string[]> {
  const check = await exec.run(['cat-file', '--batch-check=%(objectname) %(objecttype)'], [], `${shas.join('\n')}\n`);
  const existing = check.stdout
    .split('\n')
    .filter((line) => line.endsWith(' commit'))
    .map((line) => line.split(' ')[0]!);
  if (existing.length === 0) return [];
  // Usually one linear history: everything is in the tip, and nothing else needs a ref.
  const covered = tip ? [fromSha, tip] : [fromSha];
  const extra = await exec.run(['rev-list', '--stdin', '--not', ...covered], [], `${existing.join('\n')}\n`);
  const outside = new Set(extra.stdout.split('\n').filter(Boolean));
  const rest = existing.filter((sha) => outside.has(sha));
  const heads = rest.length <= 1 ? rest : (await exec.run(['merge-base', '--independent', ...rest])).stdout.split('\n').filter(Boolean);
  return tip ? [tip, ...heads] : heads;
}
