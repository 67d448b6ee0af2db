import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GitExec } from '../git/exec.js';
import { casUpdateRef, readRef, RefMovedError, revParse } from '../git/refs.js';
import { assertNoOperationInProgress, worktreeGitDir } from '../git/repo-state.js';
import type { Repo } from '../git/repo.js';
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

/**
 * Commits a wave's retrospective on the integration branch, so the next wave's agents fork from a
 * tree that contains it. The branch moves by compare-and-swap from `expectedTip`; the worktree is
 * left detached at the new commit. Safe to call again after a crash: an existing commit is reused.
 */
export function writeRetro(repo: Repo, request: WriteRetroRequest): Promise<WrittenRetro> {
  const file = repoRelativePath(
    request.path ?? defaultRetroPath(request.retroDir ?? DEFAULT_RUN_SETTINGS.retro.dir, request.planName ?? '', request.wave),
  );
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
      await exec.run(['checkout', '--quiet', '--force', '--detach', tip]);
      return { sha: earlier, path: file, created: false };
    }
    if (tip !== request.expectedTip) throw new RefMovedError(ref, request.expectedTip, tip);
    await assertNotCheckedOutElsewhere(exec, ref);

    // Exactly the expected tip, whatever an interrupted step left in ccwave's own worktree.
    await exec.run(['checkout', '--quiet', '--force', '--detach', request.expectedTip]);
    const absolute = path.join(request.integrationWorktree, ...file.split('/'));
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, request.markdown, 'utf8');
    // --force: a .gitignore covering the retro folder must not stop an unattended run.
    await exec.run(['add', '--force', '--', file]);
    const { exitCode } = await exec.run(['diff', '--cached', '--quiet'], [1]);
    if (exitCode === 0) return { sha: request.expectedTip, path: file, created: false };
    // --no-verify: the project's commit hooks check code, not ccwave's report, and nobody is
    // there to answer a hook that fails or prompts.
    await exec.run(['commit', '--quiet', '--no-verify', '-m', message]);
    const sha = await revParse(exec, 'HEAD');
    if (!sha) throw new Error('HEAD vanished after committing the retrospective');
    await casUpdateRef(exec, { ref, newSha: sha, oldSha: request.expectedTip, reason: `ccwave: retrospective of wave ${request.wave}` });
    return { sha, path: file, created: true };
  });
}

export function retroMessage(runId: string, wave: number): string {
  if (/[\r\n]/.test(runId) || runId.trim() === '') throw new Error(`invalid run id for a trailer: ${JSON.stringify(runId)}`);
  return [`Retrospective of wave ${wave}`, '', `${TRAILER_KEYS.run}: ${runId}`, `${RETRO_TRAILER}: ${wave}`].join('\n');
}

/** The retrospective commit of `runId`'s wave among the last few commits of `tip`, if any. */
export async function findRetroCommit(exec: GitExec, tip: string, runId: string, wave: number): Promise<string | undefined> {
  const { stdout } = await exec.run(['log', `-${RETRO_LOOKBACK}`, '--format=%H%x1f%(trailers:only,unfold)%x1e', '--end-of-options', tip, '--']);
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
