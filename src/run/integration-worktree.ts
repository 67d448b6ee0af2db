import { lstatSync, unlinkSync, type Stats } from 'node:fs';
import { UserError } from '../errors.js';
import { forceCheckoutDetached } from '../git/checkout.js';
import { firstParentTrailerValues } from '../git/history.js';
import { casUpdateRef, isAncestor, readRef, revParse } from '../git/refs.js';
import { keepTaskCommits } from '../git/keep-commits.js';
import { TRAILER_KEYS } from '../git/trailers.js';
import type { Repo } from '../git/repo.js';
import { addWorktreeAt, forceRemoveWorktree, listWorktrees, samePath, worktreeLocation } from '../git/worktrees.js';
import type { RunRecorder } from '../journal/recorder.js';
import { shortSha } from '../format/sha.js';

export interface IntegrationRef {
  branch: string;
  worktree: string;
}

/**
 * Makes sure the run's integration worktree is ccwave's own before anything checks out, cleans or
 * commits there. It lives next to the agents' worktrees, so an agent can delete it or put a symlink
 * in its place (to the user's checkout, say): a forced checkout and `git clean` "in ccwave's
 * worktree" would then wipe the user's work. Missing, it is made again detached at the branch tip
 * (the branch holds every merge); a symlink or file is removed, never what it points at.
 */
export async function ensureIntegrationWorktree(repo: Repo, recorder: RunRecorder, integration: IntegrationRef): Promise<void> {
  await restoreIntegrationRef(repo, recorder, integration);
  const found = lstat(integration.worktree);
  if (found && !found.isDirectory()) {
    unlinkSync(integration.worktree);
    const what = found.isSymbolicLink() ? 'a symlink' : 'a file';
    recorder.record({ type: 'repair', action: 'integration-worktree-replaced', detail: `${integration.worktree} was ${what}; removed it (not what it pointed to)` });
  }
  if (!found || !found.isDirectory()) {
    await recreate(repo, recorder, integration);
    return;
  }
  await assertOwnWorktree(repo, integration.worktree);
  await detachIfCheckedOut(repo, recorder, integration);
  await assertBranchNotCheckedOut(repo, integration);
}

/**
 * Detached, the integration worktree no longer stops anyone from checking the branch out (to look
 * at the run's progress, say); moving the branch then would leave that checkout showing the run
 * reverted. Stop before anything moves, and say how to go on.
 */
async function assertBranchNotCheckedOut(repo: Repo, integration: IntegrationRef): Promise<void> {
  const holder = (await listWorktrees(repo.git)).find((w) => w.branch === `refs/heads/${integration.branch}`);
  if (!holder) return;
  throw new UserError(`${integration.branch} is checked out in ${holder.path}; ccwave moves that branch as it merges`, {
    hint: `switch that checkout to another branch (or \`git switch --detach\` there), then run again to resume`,
  });
}

/**
 * The branch holds the run's merged work, and agents run with the user's rights in the same
 * repository: one can move it or delete it. It must be where the journal says, or ahead of it only
 * by this run's own commits (merges and retrospectives journaled late after a crash). Moved
 * anywhere else, it is put back by compare-and-swap, the commit it pointed to kept under
 * `refs/ccwave/kept/`; deleted, it is made again at its last tip in the journal (merges done after
 * that and not journaled yet are simply done again; their tips are recorded).
 */
export async function restoreIntegrationRef(repo: Repo, recorder: RunRecorder, integration: IntegrationRef): Promise<void> {
  const ref = `refs/heads/${integration.branch}`;
  const { state } = recorder;
  const current = await readRef(repo.git, ref);
  const journaled = state.integration?.sha;
  if (current) {
    if (!journaled || current === journaled || (await onlyOurCommits(repo, state.runId, journaled, current))) return;
    await keepTaskCommits(repo, { runId: state.runId, taskId: 'integration', worktree: integration.worktree, branch: integration.branch, fromSha: journaled, tip: current });
    await repo.exclusive(() => casUpdateRef(repo.git, { ref, newSha: journaled, oldSha: current, reason: 'ccwave: integration branch moved outside ccwave; restored' }));
    recorder.record({
      type: 'repair',
      action: 'integration-restored',
      detail: `${integration.branch} had been moved to ${shortSha(current)} outside ccwave; moved back to ${shortSha(journaled)}`,
    });
    return;
  }
  const known = journaled ?? state.base?.sha;
  if (!known || (await revParse(repo.git, known)) !== known) {
    throw new UserError(`run ${state.runId}'s integration branch ${integration.branch} is gone`, { hint: 'start over with `ccwave run --fresh`' });
  }
  await repo.exclusive(() => casUpdateRef(repo.git, { ref, newSha: known, oldSha: null, reason: 'ccwave: integration branch made again' }));
  // The run may have stopped between its first journal line and creating the branch.
  const neverMade = state.waves.every((w) => w.status === 'pending') && known === state.base?.sha;
  const detail = neverMade ? `created ${integration.branch} at ${shortSha(known)}` : `${integration.branch} was gone; made again at ${shortSha(known)}, its last tip in the journal`;
  recorder.record({ type: 'repair', action: neverMade ? 'integration-branch-created' : 'integration-branch-restored', detail });
}

/** True when `current` is `known` plus first-parent commits that all carry this run's trailer. */
async function onlyOurCommits(repo: Repo, runId: string, known: string, current: string): Promise<boolean> {
  if (!(await isAncestor(repo.git, known, current))) return false;
  return (await firstParentTrailerValues(repo.git, TRAILER_KEYS.run, known, current)).every((run) => run === runId);
}

async function recreate(repo: Repo, recorder: RunRecorder, integration: IntegrationRef): Promise<void> {
  const tip = await readRef(repo.git, `refs/heads/${integration.branch}`);
  if (!tip) throw new Error(`the integration branch ${integration.branch} vanished while its worktree was being made again`);
  await repo.exclusive(async () => {
    // Only this worktree's stale entry is dropped: `worktree prune` would also forget the user's
    // worktrees whose folders are away for now.
    const stale = (await listWorktrees(repo.git)).find((w) => !w.main && samePath(w.path, integration.worktree));
    if (stale?.locked) {
      // A lock is someone saying "keep this": not ours to break, even for ccwave's own worktree.
      throw new UserError(`the run's integration worktree ${integration.worktree} is gone but locked`, {
        hint: `run \`git worktree unlock ${JSON.stringify(integration.worktree)}\`, then run again: ccwave makes the worktree again`,
      });
    }
    if (stale) await forceRemoveWorktree(repo.git, stale.path);
    await addWorktreeAt(repo.git, integration.worktree, tip);
  });
  recorder.record({ type: 'repair', action: 'integration-worktree-recreated', detail: `${integration.worktree} was missing; checked out ${shortSha(tip)} again` });
}

/**
 * The folder must be the linked worktree git has registered at this path, not some other checkout
 * (a folder whose `.git` file points at the user's repository would make git use their index and
 * HEAD). `what` names it in the error: "the run's integration worktree".
 */
export async function assertOwnWorktree(repo: Repo, worktree: string, what = "the run's integration worktree"): Promise<void> {
  const registered = (await listWorktrees(repo.git)).some((w) => !w.main && samePath(w.path, worktree));
  const where = registered ? await worktreeLocation(repo.at(worktree)) : undefined;
  const ownGitDir = where !== undefined && samePath(where.top, worktree) && !samePath(where.gitDir, repo.commonDir);
  if (!ownGitDir) {
    throw new UserError(`${worktree} is no longer ${what} (something replaced it)`, {
      hint: 'look at what is there, move it away, and run again: ccwave makes the worktree again',
    });
  }
}

/**
 * A run started by an older ccwave has the integration branch checked out in its worktree; every
 * compare-and-swap move left those files behind. Detach it at the tip (ccwave's own scratch
 * worktree: nothing there is anyone's work).
 */
async function detachIfCheckedOut(repo: Repo, recorder: RunRecorder, integration: IntegrationRef): Promise<void> {
  const ref = `refs/heads/${integration.branch}`;
  const holder = (await listWorktrees(repo.git)).find((w) => w.branch === ref && samePath(w.path, integration.worktree));
  const tip = await readRef(repo.git, ref);
  if (!holder || !tip) return;
  await repo.exclusive(() => forceCheckoutDetached(repo.at(integration.worktree), tip));
  recorder.record({ type: 'repair', action: 'integration-worktree-detached', detail: `${integration.worktree} had ${integration.branch} checked out; detached at ${shortSha(tip)}` });
}

function lstat(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
