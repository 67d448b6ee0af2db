import { forceCheckoutDetached } from '../git/checkout.js';
import { commitFile } from '../git/commit-file.js';
import type { GitExec } from '../git/exec.js';
import { casUpdateRef, readRef, RefMovedError } from '../git/refs.js';
import { assertNoOperationInProgress, worktreeGitDir } from '../git/repo-state.js';
import type { Repo } from '../git/repo.js';
import { recentFirstParentTrailers } from '../git/history.js';
import { TRAILER_KEYS } from '../git/trailers.js';
import { listWorktrees, samePath } from '../git/worktrees.js';
import { DEFAULT_RUN_SETTINGS } from '../plan/defaults.js';
import { defaultRetroPath, repoRelativePath } from './retro-path.js';

/** Names the wave a retrospective commit is about, next to `Ccwave-Run`: how resume finds it. */
export const RETRO_TRAILER = 'Ccwave-Retro';
/**
 * How far back a resumed run looks for its retrospective commit. Nothing lands on the integration
 * branch between the commit and its journal entry, so the tip is enough; a few more cost nothing.
 */
const RETRO_LOOKBACK = 5;

export interface WriteRetroRequest {
  /** ccwave's integration worktree: never the user's checkout. */
  integrationWorktree: string;
  /** Short name of the integration branch. */
  integrationBranch: string;
  /** Where the branch must be now; it moves only from here (compare-and-swap). */
  expectedTip: string;
  /** Relative to the repository root; default `<retroDir>/<plan-slug>-wave-<n>.md`. */
  path?: string;
  /** Used only for the default path. */
  retroDir?: string;
  planName?: string;
  markdown: string;
  runId: string;
  wave: number;
}

export interface WrittenRetro {
  sha: string;
  path: string;
  /** False when an earlier attempt (before a crash) had already committed it, or nothing changed. */
  created: boolean;
}

/** The retrospective was not committed: its path goes through a symlink an agent committed, say. */
export interface RefusedRetro {
  path: string;
  refused: string;
}

/**
 * Commits a wave's retrospective on the integration branch, so the next wave's agents fork from a
 * tree that contains it. The commit is built from git objects, never through a working tree, so a
 * symlink an agent committed on the way cannot redirect the write: such a path is refused, and the
 * caller says so. The branch moves by compare-and-swap from `expectedTip`; the worktree is left
 * detached at the branch tip. Safe to call again after a crash: an existing commit is reused.
 */
export function writeRetro(repo: Repo, request: WriteRetroRequest): Promise<WrittenRetro | RefusedRetro> {
  const file = repoRelativePath(request.path ?? defaultRetroPath(request.retroDir ?? DEFAULT_RUN_SETTINGS.retro.dir, request.planName ?? '', request.wave));
  const message = retroMessage(request.runId, request.wave);
  const ref = `refs/heads/${request.integrationBranch}`;
  return repo.exclusive(async () => {
    const exec = repo.at(request.integrationWorktree);
    await assertOwnWorktree(repo, exec);
    const tip = await readRef(exec, ref);
    if (!tip) throw new Error(`integration branch ${request.integrationBranch} does not exist`);
    const earlier = await findRetroCommit(exec, tip, request.runId, request.wave);
    if (earlier) {
      // Same end state as a fresh write: the worktree detached at the branch tip.
      await forceCheckoutDetached(exec, tip);
      return { sha: earlier, path: file, created: false };
    }
    if (tip !== request.expectedTip) throw new RefMovedError(ref, request.expectedTip, tip);
    await assertNotCheckedOutElsewhere(exec, ref);

    const committed = await commitFile(exec, { parent: request.expectedTip, file, content: request.markdown, message });
    if ('refused' in committed) {
      await forceCheckoutDetached(exec, request.expectedTip);
      return { path: file, refused: committed.refused };
    }
    if (committed.created) {
      await casUpdateRef(exec, { ref, newSha: committed.sha, oldSha: request.expectedTip, reason: `ccwave: retrospective of wave ${request.wave}` });
    }
    // git itself checks the tree out, and never writes below a symlink it checks out.
    await forceCheckoutDetached(exec, committed.sha);
    return { sha: committed.sha, path: file, created: committed.created };
  });
}

export function retroMessage(runId: string, wave: number): string {
  if (/[\r\n]/.test(runId) || runId.trim() === '') throw new Error(`invalid run id for a trailer: ${JSON.stringify(runId)}`);
  return [`Retrospective of wave ${wave}`, '', `${TRAILER_KEYS.run}: ${runId}`, `${RETRO_TRAILER}: ${wave}`].join('\n');
}

/**
 * The retrospective commit of `runId`'s wave among the last few commits of `tip`, if any. Only the
 * first-parent line is ccwave's own (merges are --no-ff): an agent's commit, which arrives as a
 * second parent, may carry any trailers it likes, the run id included.
 */
export async function findRetroCommit(exec: GitExec, tip: string, runId: string, wave: number): Promise<string | undefined> {
  const stdout = await recentFirstParentTrailers(exec, tip, RETRO_LOOKBACK);
  for (const record of stdout.split('\x1e')) {
    const [sha, block] = record.replace(/^\n/, '').split('\x1f');
    if (!sha || block === undefined) continue;
    const trailers = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    if (trailers.get(TRAILER_KEYS.run.toLowerCase()) === runId && trailers.get(RETRO_TRAILER.toLowerCase()) === String(wave)) return sha;
  }
  return undefined;
}

async function assertOwnWorktree(repo: Repo, exec: GitExec): Promise<void> {
  // The main worktree's git dir is the common dir; every linked worktree has its own.
  const gitDir = await worktreeGitDir(exec);
  if (samePath(gitDir, repo.commonDir) || samePath(exec.cwd, repo.topLevel)) {
    throw new Error(`refusing to write the retrospective in ${exec.cwd}: it is the user's own checkout`);
  }
  await assertNoOperationInProgress(exec, gitDir);
}

/** Moving a branch someone has checked out would change their checkout under them. */
async function assertNotCheckedOutElsewhere(exec: GitExec, ref: string): Promise<void> {
  const holder = (await listWorktrees(exec)).find((entry) => entry.branch === ref && !samePath(entry.path, exec.cwd));
  if (holder) throw new Error(`${ref} is checked out in ${holder.path}; not moving it under that checkout`);
}
