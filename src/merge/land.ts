import { existsSync } from 'node:fs';
import { operationsOnBranch } from '../git/branch-operations.js';
import { fastForwardCheckout } from '../git/checkout.js';
import { GitCommandError } from '../git/exec.js';
import type { Repo } from '../git/repo.js';
import { casUpdateRef, isAncestor, readRef } from '../git/refs.js';
import { operationInProgress, uncommittedChanges, worktreeGitDir } from '../git/repo-state.js';
import { clobberedByMove } from '../git/clobber-check.js';
import { listWorktrees, type WorktreeEntry } from '../git/worktrees.js';
import type { RunState } from '../journal/run-state.js';
import type { RunRecorder } from '../journal/recorder.js';
import { shellWord } from '../shell-word.js';
import { shortSha } from '../format/sha.js';

export type LandOutcome =
  | { landed: true; sha: string; how: 'ref' | 'checkout' | 'already' }
  /** `command` lands it by hand. */
  | { landed: false; why: string; command: string };

/** How many offending paths a refusal names; the rest are counted. */
const PATHS_SHOWN = 3;

type Refusal = Extract<LandOutcome, { landed: false }>;

/**
 * Fast-forwards `base` to the integration tip when that is safe: by compare-and-swap when no
 * worktree has it checked out, by `merge --ff-only` in the one that has it when that one is clean
 * and nothing git does not track is in the way. A dirty checkout, an unfinished rebase, merge or
 * bisect of base anywhere, or a base that moved during the run is left alone, with the command to
 * land by hand. `untested` says why the integration tip never passed the tests: then `base` does
 * not move either. `expectedTip` is the tip the wave ended with: nothing else lands.
 */
export async function landBase(repo: Repo, recorder: RunRecorder, base: string, integrationBranch: string, options: { untested?: string; expectedTip?: string } = {}): Promise<LandOutcome> {
  const outcome = options.untested
    ? { landed: false as const, why: options.untested, command: await landByHand(repo, base, integrationBranch) }
    : await attemptLanding(repo, recorder, base, integrationBranch, options.expectedTip);
  // Journaled, so `ccwave status` can say it long after the run's summary scrolled away.
  if (!outcome.landed) recorder.record({ type: 'land-refused', branch: base, why: outcome.why, command: outcome.command });
  return outcome;
}

/**
 * `git merge <args>` on base, by hand: in the one checkout that has base checked out (no
 * `git switch` to a branch that is already there), or after switching to it.
 */
function mergeByHand(base: string, checkout: string | undefined, args: string[]): string {
  return checkout ? `git -C ${shellWord(checkout)} merge ${args.join(' ')}` : `git switch ${base} && git merge ${args.join(' ')}`;
}

/** The checkout to land in by hand: the only one with base checked out, if its folder is there. */
async function landingCheckout(repo: Repo, base: string, holders?: WorktreeEntry[]): Promise<string | undefined> {
  const found = holders ?? (await listWorktrees(repo.git)).filter((w) => w.branch === `refs/heads/${base}`);
  return found.length === 1 && existsSync(found[0]!.path) ? found[0]!.path : undefined;
}

async function landByHand(repo: Repo, base: string, target: string): Promise<string> {
  return mergeByHand(base, await landingCheckout(repo, base), ['--ff-only', target]);
}

async function attemptLanding(repo: Repo, recorder: RunRecorder, base: string, integrationBranch: string, expectedTip?: string): Promise<LandOutcome> {
  const ref = `refs/heads/${base}`;
  const [from, to] = await Promise.all([readRef(repo.git, ref), readRef(repo.git, `refs/heads/${integrationBranch}`)]);
  if (!from || !to) return { landed: false, why: `branch ${from ? integrationBranch : base} is missing`, command: `git merge ${integrationBranch}` };
  if (expectedTip && to !== expectedTip) {
    // Only the commit the merge queue tested (and the retrospective was written on) may land.
    return {
      landed: false,
      why: `${integrationBranch} moved after the wave was merged (to ${shortSha(to)}, expected ${shortSha(expectedTip)}); ccwave lands only what it tested`,
      command: mergeByHand(base, await landingCheckout(repo, base), ['--ff-only', expectedTip]),
    };
  }
  if (from === to) return { landed: true, sha: to, how: 'already' };
  const holders = (await listWorktrees(repo.git)).filter((w) => w.branch === ref);
  const holder = holders[0];
  const checkout = await landingCheckout(repo, base, holders);
  const byHand = mergeByHand(base, checkout, ['--ff-only', integrationBranch]);
  const moved = await movedDuringRun(repo, recorder.state, base, from, to);
  if (moved) return { landed: false, why: moved, command: mergeByHand(base, checkout, [integrationBranch]) };

  const busy = (await operationsOnBranch(repo, ref))[0];
  if (busy) {
    return { landed: false, why: `${busy.worktree} is in the middle of a ${busy.operation} of ${base}; ccwave lands only after it ends`, command: byHand };
  }
  if (holder) {
    const refusal = await checkoutRefusal(repo, holders, { base, integrationBranch, from, to, byHand });
    if (refusal) return refusal;
  }
  recorder.record({ type: 'land-intent', branch: base, from, to });
  try {
    await repo.exclusive(async () => {
      // --no-overwrite-ignore: should an ignored file appear after the check, git refuses too.
      if (holder) await fastForwardCheckout(repo.at(holder.path), to);
      else await casUpdateRef(repo.git, { ref, newSha: to, oldSha: from, reason: `ccwave: land ${integrationBranch}` });
    });
  } catch (error) {
    // A stale `index.lock` or `<branch>.lock` (left by a crashed git, or planted by an agent):
    // the wave stays unlanded with git's reason, like a dirty checkout.
    if (!(error instanceof GitCommandError)) throw error;
    const reason =
      error.stderr
        .split('\n')
        .map((line) => line.trim())
        .find(Boolean) ?? `git exited with code ${error.exitCode}`;
    return { landed: false, why: `git refused: ${holder ? `fast-forwarding ${holder.path}: ` : ''}${reason}`, command: byHand };
  }
  recorder.record({ type: 'land-done', branch: base, sha: to });
  return { landed: true, sha: to, how: holder ? 'checkout' : 'ref' };
}

/**
 * Base must still be where the run left it (where it started, or its last landing). One that moved
 * on has commits the run lacks; one moved back (reset, or deleted and made again at an older commit)
 * had commits removed on purpose, which a fast-forward would bring back.
 */
async function movedDuringRun(repo: Repo, state: RunState, base: string, from: string, to: string): Promise<string | undefined> {
  if (!(await isAncestor(repo.git, from, to))) return `${base} has commits the run does not (it moved during the run)`;
  const expected = state.land ? (state.land.status === 'landed' ? state.land.sha : state.land.from) : state.base?.sha;
  if (!expected || expected === from || !(await isAncestor(repo.git, from, expected))) return undefined;
  return `${base} was moved back during the run (from ${shortSha(expected)} to ${shortSha(from)}); landing would bring back the commits taken off it`;
}

interface Landing {
  base: string;
  integrationBranch: string;
  from: string;
  to: string;
  byHand: string;
}

/** Why the checkout(s) of base must not be fast-forwarded, if they must not. */
async function checkoutRefusal(repo: Repo, holders: WorktreeEntry[], landing: Landing): Promise<Refusal | undefined> {
  const { base, byHand } = landing;
  if (holders.length > 1) {
    // Moving one checkout would leave the other's files showing the whole change reverted.
    return { landed: false, why: `${base} is checked out in ${holders.length} places (${holders.map((h) => h.path).join(', ')})`, command: byHand };
  }
  const holder = holders[0]!;
  if (!existsSync(holder.path)) {
    return { landed: false, why: `${base} is checked out in ${holder.path}, whose folder is gone; \`git worktree prune\` forgets it`, command: byHand };
  }
  const exec = repo.at(holder.path);
  const operation = operationInProgress(await worktreeGitDir(exec));
  if (operation) return { landed: false, why: `${holder.path} is in the middle of a ${operation}`, command: byHand };
  const changes = await uncommittedChanges(exec);
  if (changes.tracked.length > 0) return { landed: false, why: `${base} is checked out in ${holder.path} with uncommitted changes, which ccwave never touches`, command: byHand };
  const { hidden, untracked } = await clobberedByMove(exec, landing.from, landing.to);
  if (hidden.length > 0) {
    const why = `landing would change files in ${holder.path} whose local changes git was told to ignore (assume-unchanged or skip-worktree: ${listed(hidden)})`;
    return { landed: false, why, command: byHand };
  }
  if (untracked.length > 0) {
    return {
      landed: false,
      why: `landing would overwrite files in ${holder.path} that git does not track (${listed(untracked)}); move them away first`,
      command: mergeByHand(base, holder.path, ['--ff-only', '--no-overwrite-ignore', landing.integrationBranch]),
    };
  }
  if (changes.untracked.length > 0) {
    // Often the plan itself, written but not committed yet. None is in the landing's way, so a
    // fast-forward by hand keeps them as they are: say which files, and that.
    const why = `${base} is checked out in ${holder.path} with untracked files (${listed(changes.untracked)}), which ccwave never touches; none is in the way, so landing by hand keeps them as they are`;
    return { landed: false, why, command: byHand };
  }
  return undefined;
}

function listed(paths: string[]): string {
  return paths.slice(0, PATHS_SHOWN).join(', ') + (paths.length > PATHS_SHOWN ? `, and ${paths.length - PATHS_SHOWN} more` : '');
}
