import { spawn } from 'node:child_process';
import { gitEnv } from '../git/exec.js';

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

/**
 * In an agent's worktree git obeys the config the agent may have written while it ran: a clean
 * filter that never returns would hold the task, and the run, for good. A status or commit of a
 * very large worktree takes seconds; this bounds the pathological case only.
 */
export const PROBE_GIT_TIMEOUT_MS = 10 * 60_000;

/** The default probe: `git` with argv, in the worktree. */
export function gitWorktreeProbe(worktree: string, timeoutMs = PROBE_GIT_TIMEOUT_MS): WorktreeProbe {
  const git = (...args: string[]): Promise<string> => runGit(args, worktree, timeoutMs);
  // The agent may be committing in this worktree at the same moment: a read must never take the
  // index lock (`git status` refreshes the index when it can), or the agent's `git commit` fails.
  const read = (...args: string[]): Promise<string> => runGit(args, worktree, timeoutMs, { GIT_OPTIONAL_LOCKS: '0' });
  return {
    headSha: async () => (await read('rev-parse', 'HEAD')).trim(),
    isDirty: async () => (await read('status', '--porcelain', '--untracked-files=normal')).trim() !== '',
    commitsSince: async (baseSha) => (await read('rev-list', '--reverse', `${baseSha}..HEAD`)).split('\n').filter((l) => l !== ''),
    headContains: async (sha) => {
      try {
        await read('merge-base', '--is-ancestor', sha, 'HEAD');
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

/**
 * Runs git in a process group of its own, so a timeout kills it with whatever it started (filter
 * and hook programs). Errors read `Command failed: git …` followed by git's stderr.
 */
function runGit(args: string[], cwd: string, timeoutMs: number, env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(env), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const command = `Command failed: git ${args.join(' ')}`;
      if (timedOut) reject(new Error(`${command}\ngit ${args[0]} did not finish within ${Math.round(timeoutMs / 1000)}s and was killed`));
      else if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`${command}\n${Buffer.concat(err).toString('utf8')}`));
    });
  });
}
