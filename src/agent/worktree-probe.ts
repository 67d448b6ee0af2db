import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gitEnv } from '../git/exec.js';

const run = promisify(execFile);

/** What the agent host needs to know of a task's worktree. The git layer may supply its own. */
export interface WorktreeProbe {
  headSha(): Promise<string>;
  /** Tracked changes or untracked files (ignored files do not count). */
  isDirty(): Promise<boolean>;
  /** SHAs reachable from HEAD and not from `baseSha`, oldest first. */
  commitsSince(baseSha: string): Promise<string[]>;
  /** Whether HEAD's history contains `sha` (an agent can rewrite its branch onto anything). */
  headContains(sha: string): Promise<boolean>;
  /** Commits everything (commitPolicy: auto); returns the new SHA. */
  commitAll(message: string): Promise<string>;
}

/** Git output for a big worktree's status can be large. */
const GIT_MAX_BUFFER = 64 * 1024 * 1024;

/** The default probe: `git` via execFile with argv, in the worktree. */
export function gitWorktreeProbe(worktree: string): WorktreeProbe {
  const git = async (...args: string[]): Promise<string> => {
    const { stdout } = await run('git', args, { cwd: worktree, maxBuffer: GIT_MAX_BUFFER, env: gitEnv() });
    return stdout;
  };
  return {
    headSha: async () => (await git('rev-parse', 'HEAD')).trim(),
    isDirty: async () => (await git('status', '--porcelain', '--untracked-files=normal')).trim() !== '',
    commitsSince: async (baseSha) =>
      (await git('rev-list', '--reverse', `${baseSha}..HEAD`)).split('\n').filter((l) => l !== ''),
    headContains: async (sha) => {
      try {
        await run('git', ['merge-base', '--is-ancestor', sha, 'HEAD'], { cwd: worktree, env: gitEnv() });
        return true;
      } catch {
        return false;
      }
    },
    commitAll: async (message) => {
      await git('add', '--all');
      // The point is to keep the agent's work safe on its branch; the project's pre-commit checks
      // run later, in the merge queue's test gate.
      await git('commit', '--no-verify', '--message', message);
      return (await git('rev-parse', 'HEAD')).trim();
    },
  };
}
