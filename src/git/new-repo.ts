import { execFileSync } from 'node:child_process';
import { gitEnv } from './exec.js';

/** Who commits in a repository ccwave makes itself, whatever the machine's git identity. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** The few steps that build a new repository have nothing to wait for: they run synchronously. */
function gitSync(dir: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd: dir, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A new repository in `dir` (the demo's sample project, a wave's lessons folder) on `branch`. */
export function initRepo(dir: string, branch: string): void {
  gitSync(dir, ['init', '--quiet', `--initial-branch=${branch}`]);
}

/** Saved in the repository's config, so later commits there (an agent's) use it too. */
export function setRepoIdentity(dir: string, identity: GitIdentity): void {
  gitSync(dir, ['config', 'user.name', identity.name]);
  gitSync(dir, ['config', 'user.email', identity.email]);
}

/**
 * Stages `paths` (or every file) and commits them, as `identity` for this one commit when given,
 * else as the repository's configured identity.
 */
export function commitFiles(dir: string, paths: readonly string[] | 'all', message: string, identity?: GitIdentity): void {
  gitSync(dir, paths === 'all' ? ['add', '--all'] : ['add', '--', ...paths]);
  const as = identity ? ['-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`] : [];
  gitSync(dir, [...as, 'commit', '--quiet', '-m', message]);
}
