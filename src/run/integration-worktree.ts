import { lstatSync, unlinkSync, type Stats } from 'node:fs';
import { UserError } from '../errors.js';
import { casUpdateRef, isAncestor, readRef, revParse } from '../git/refs.js';
import { TRAILER_KEYS } from '../git/trailers.js';
import type { Repo } from '../git/repo.js';
import { worktreeGitDir } from '../git/repo-state.js';
import { listWorktrees, samePath } from '../git/worktrees.js';
import type { RunRecorder } from './recorder.js';

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
  await restoreBranch(repo, recorder, integration);
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
 * The branch holds the run's merged work; an agent can delete it as easily as any branch. Every
 * tip it had is in the journal, the last one as the integration sha: make it again there (merges
 * done after that and not journaled yet are simply done again; their tips are recorded).
 */
async function restoreBranch(repo: Repo, recorder: RunRecorder, integration: IntegrationRef): Promise<void> {
  const ref = `refs/heads/${integration.branch}`;
  const { state } = recorder;
  const current = await readRef(repo.git, ref);
  if (current) {
    await assertOnlyOurCommits(repo, state.runId, integration.branch, state.integration?.sha, current);
    return;
  }
  const known = state.integration?.sha ?? state.base?.sha;
  if (!known || (await revParse(repo.git, known)) !== known) {
    throw new UserError(`run ${state.runId}'s integration branch ${integration.branch} is gone`, { hint: 'start over with `ccwave run --fresh`' });
  }
  await repo.exclusive(() => casUpdateRef(repo.git, { ref, newSha: known, oldSha: null, reason: 'ccwave: integration branch made again' }));
  // The run may have stopped between its first journal line and creating the branch.
  const neverMade = state.waves.every((w) => w.status === 'pending') && known === state.base?.sha;
  const detail = neverMade ? `created ${integration.branch} at ${known.slice(0, 12)}` : `${integration.branch} was gone; made again at ${known.slice(0, 12)}, its last tip in the journal`;
  recorder.record({ type: 'repair', action: neverMade ? 'integration-branch-created' : 'integration-branch-restored', detail });
}

/**
 * ccwave only moves the integration branch forward, by its own merge and retrospective commits
 * (each with the run's trailer). Anything else on it (an agent's commit, a rewrite, a reset) would
 * be merged on top of, tested with and landed on base as if it were the run's work.
 */
async function assertOnlyOurCommits(repo: Repo, runId: string, branch: string, known: string | undefined, current: string): Promise<void> {
  if (!known || known === current) return;
  const hint = `look at it with \`git log ${known}..${branch}\`; put it back with \`git branch --force ${branch} ${known}\`, then run again to resume`;
  if (!(await isAncestor(repo.git, known, current))) {
    throw new UserError(`${branch} was moved outside ccwave: it no longer contains ${known.slice(0, 12)}, its last tip in the journal`, { hint });
  }
  const { stdout } = await repo.git.run(['log', '--first-parent', `--format=%H%x1f%(trailers:key=${TRAILER_KEYS.run},valueonly)%x1e`, `${known}..${current}`, '--']);
  for (const record of stdout.split('\x1e')) {
    const [sha, run] = record.replace(/^\n/, '').split('\x1f');
    if (sha && run?.trim() !== runId) throw new UserError(`${branch} has a commit ccwave did not make (${sha.slice(0, 12)})`, { hint });
  }
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
    if (stale) await repo.git.run(['worktree', 'remove', '--force', '--end-of-options', stale.path]);
    await repo.git.run(['worktree', 'add', '--quiet', '--detach', '--end-of-options', integration.worktree, tip]);
  });
  recorder.record({ type: 'repair', action: 'integration-worktree-recreated', detail: `${integration.worktree} was missing; checked out ${tip.slice(0, 12)} again` });
}

/**
 * The folder must be the linked worktree git has registered at this path, not some other checkout
 * (a folder whose `.git` file points at the user's repository would make git use their index and
 * HEAD). `what` names it in the error: "the run's integration worktree".
 */
export async function assertOwnWorktree(repo: Repo, worktree: string, what = "the run's integration worktree"): Promise<void> {
  const registered = (await listWorktrees(repo.git)).some((w) => !w.main && samePath(w.path, worktree));
  const exec = repo.at(worktree);
  const top = registered ? await exec.text(['rev-parse', '--show-toplevel']).catch(() => undefined) : undefined;
  const ownGitDir = top !== undefined && samePath(top, worktree) && !samePath(await worktreeGitDir(exec), repo.commonDir);
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
  await repo.exclusive(() => repo.at(integration.worktree).run(['checkout', '--quiet', '--force', '--detach', tip]));
  recorder.record({ type: 'repair', action: 'integration-worktree-detached', detail: `${integration.worktree} had ${integration.branch} checked out; detached at ${tip.slice(0, 12)}` });
}

function lstat(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
