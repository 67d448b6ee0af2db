import path from 'node:path';
import type { ClaudeSandbox } from '../agent/claude/claude-adapter.js';
import type { Repo } from '../git/repo.js';
import { worktreeGitDir } from '../git/repo-state.js';
import type { TaskSettings } from '../plan/types.js';

/**
 * What a sandboxed agent may write besides its worktree: what `git add` and `git commit` need in
 * the shared git dir (objects, refs and their logs) and the worktree's own admin folder. Not the
 * repository's config or hooks, and nothing of the user's checkout.
 */
export async function sandboxFor(repo: Repo, worktree: string, settings: Pick<TaskSettings, 'sandbox'>): Promise<ClaudeSandbox | undefined> {
  if (!settings.sandbox) return undefined;
  const shared = ['objects', 'refs', 'logs'].map((folder) => path.join(repo.commonDir, folder));
  const admin = await worktreeGitDir(repo.at(worktree));
  // The worktree was checked before the attempt; an admin folder anywhere else is not granted.
  const own = path.dirname(path.resolve(admin)) === path.join(repo.commonDir, 'worktrees');
  return { allowWrite: own ? [...shared, admin] : shared, allowedDomains: settings.sandbox.network };
}
