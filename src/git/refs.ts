import { UserError } from '../errors.js';
import { GitCommandError, type GitExec } from './exec.js';
import type { Repo } from './repo.js';

/*
 * Functions taking a GitExec only read, or write without the repo mutex (for callers already
 * inside `repo.exclusive`). Functions taking a Repo take the mutex themselves.
 */

/** The commit a revision names, or undefined when it names none. */
export async function revParse(exec: GitExec, rev: string): Promise<string | undefined> {
  return resolve(exec, `${rev}^{commit}`, FULL_SHA.test(rev) || SHARED_REF.test(rev));
}

/** The value of a ref (not peeled), or undefined when it does not exist. */
export async function readRef(exec: GitExec, ref: string): Promise<string | undefined> {
  return resolve(exec, ref, SHARED_REF.test(ref));
}

/** By the long-lived reader where it may answer (a git process should it fail), else by `rev-parse`. */
async function resolve(exec: GitExec, name: string, shared: boolean): Promise<string | undefined> {
  if (shared) {
    const found = await exec.lookup(name).then(
      (lookup) => ({ sha: lookup?.sha }),
      () => undefined,
    );
    if (found) return found.sha;
  }
  const { stdout, exitCode } = await exec.run(['rev-parse', '--verify', '--quiet', '--end-of-options', name], [1]);
  return exitCode === 0 ? stdout.trim() : undefined;
}

/**
 * Refs every worktree resolves alike, so the long-lived reader of any worktree may answer them: a
 * branch, tag, remote-tracking or ccwave ref. Not HEAD, nor the per-worktree refs (refs/bisect/,
 * refs/worktree/, ...). Printable ASCII only: the reader takes one name a line.
 */
const SHARED_REF = /^refs\/(?:heads|tags|remotes|ccwave)\/[!-~]+$/;
/** A full SHA: any worktree resolves it alike (`^{commit}` makes the reader check the object is there). */
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Resolves a revision the user gave us (the plan's `base`), with clear errors when it cannot. */
export async function resolveCommit(exec: GitExec, rev: string, what = 'base'): Promise<string> {
  const sha = await revParse(exec, rev);
  if (sha) return sha;
  // No HEAD commit at all: the repository was just made.
  if ((await revParse(exec, 'HEAD')) === undefined) {
    throw new UserError('the repository has no commits yet', {
      hint: 'make a first commit; ccwave branches every task from a commit',
    });
  }
  throw new UserError(`${what} "${rev}" does not exist in this repository`, {
    hint: `check the ${what} setting; \`git branch --list\` shows your branches`,
  });
}

export async function treeOf(exec: GitExec, rev: string): Promise<string> {
  return exec.text(['rev-parse', '--verify', '--end-of-options', `${rev}^{tree}`]);
}

/** True when `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(exec: GitExec, ancestor: string, descendant: string): Promise<boolean> {
  const { exitCode } = await exec.run(['merge-base', '--is-ancestor', ancestor, descendant], [1]);
  return exitCode === 0;
}

/** The branch checked out in this worktree (short name), or undefined when HEAD is detached. */
export async function currentBranch(exec: GitExec): Promise<string | undefined> {
  const { stdout, exitCode } = await exec.run(['symbolic-ref', '--quiet', '--short', 'HEAD'], [1]);
  return exitCode === 0 ? stdout.trim() : undefined;
}

/** A compare-and-swap ref update failed: someone else moved the ref. */
export class RefMovedError extends Error {
  readonly ref: string;
  readonly expected: string | null;
  readonly actual: string | undefined;

  constructor(ref: string, expected: string | null, actual: string | undefined) {
    super(`${ref} is at ${actual ?? '(missing)'}, expected ${expected ?? '(missing)'}; not moving it`);
    this.name = 'RefMovedError';
    this.ref = ref;
    this.expected = expected;
    this.actual = actual;
  }
}

export interface RefMove {
  ref: string;
  newSha: string;
  /** The value the ref must have now; null means it must not exist yet. */
  oldSha: string | null;
  /** Written to the reflog so a person can see why the ref moved. */
  reason: string;
}

/** Moves a ref only if it still has the old value (git checks and writes atomically). No mutex. */
export async function casUpdateRef(exec: GitExec, move: RefMove): Promise<void> {
  // An empty old value tells git the ref must not exist.
  const args = ['update-ref', '-m', move.reason, move.ref, move.newSha, move.oldSha ?? ''];
  await runCas(exec, args, move.ref, move.oldSha);
}

/** Deletes a ref only if it still has the expected value. No mutex. */
export async function casDeleteRef(exec: GitExec, ref: string, oldSha: string, reason: string): Promise<void> {
  await runCas(exec, ['update-ref', '-m', reason, '-d', ref, oldSha], ref, oldSha);
}

async function runCas(exec: GitExec, args: string[], ref: string, expected: string | null): Promise<void> {
  try {
    await exec.run(args);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    const actual = await readRef(exec, ref);
    if (actual !== (expected ?? undefined)) throw new RefMovedError(ref, expected, actual);
    throw error;
  }
}

export function updateRef(repo: Repo, move: RefMove): Promise<void> {
  return repo.exclusive(() => casUpdateRef(repo.git, move));
}

export function deleteRef(repo: Repo, ref: string, oldSha: string, reason: string): Promise<void> {
  return repo.exclusive(() => casDeleteRef(repo.git, ref, oldSha, reason));
}

export interface RefEntry {
  /** Full name, e.g. refs/heads/ccwave/20261123-144501-ab12/w1/feature-001. */
  ref: string;
  sha: string;
}

/** Refs under a prefix such as `refs/heads/ccwave/`. */
export async function listRefs(exec: GitExec, prefix: string): Promise<RefEntry[]> {
  const lines = await exec.lines(['for-each-ref', '--format=%(objectname) %(refname)', prefix]);
  return lines.map((line) => {
    const space = line.indexOf(' ');
    return { sha: line.slice(0, space), ref: line.slice(space + 1) };
  });
}

/** Branches, remote-tracking branches and tags whose history contains `sha`. */
export async function refsContaining(exec: GitExec, sha: string): Promise<string[]> {
  return exec.lines(['for-each-ref', '--format=%(refname)', '--contains', sha, 'refs/heads/', 'refs/remotes/', 'refs/tags/']);
}

/**
 * How many commits of `sha` are on no branch, remote-tracking branch or tag other than the
 * `ignoredBranches` (short names). 0 means everything there is kept safe by some other ref.
 */
export async function commitsOnlyIn(exec: GitExec, sha: string, ignoredBranches: readonly string[]): Promise<number> {
  // --exclude takes glob patterns: escape glob characters so a name only ever matches itself.
  const excludes = ignoredBranches.map((branch) => `--exclude=${branch.replace(/[*?[\]\\]/g, '\\$&')}`);
  const count = await exec.text(['rev-list', '--count', sha, '--not', ...excludes, '--branches', '--remotes', '--tags']);
  return Number(count);
}
