import { execFileSync } from 'node:child_process';

/** Git without the machine's system config, a credentials prompt or an editor: the same on every machine. */
function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true' };
}

/** Runs git with argv in `cwd` and returns its stdout without the trailing newline; throws when git fails. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trimEnd();
}

/** `git` with `input` on its stdin (fast-import, mktree, hash-object --stdin). */
export function gitWithInput(cwd: string, input: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] }).trimEnd();
}
