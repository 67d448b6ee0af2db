import { execFileSync, spawnSync } from 'node:child_process';
import { CLI } from './cli.js';

export const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** A private tmux server, so a test never touches a person's own tmux sessions. */
const SOCKET = `ccwave-test-${process.pid}`;

export const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

/** Ends the private server and everything it runs (the run gets SIGHUP, as when a terminal closes). */
export function killTmuxServer(): void {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
}

export function capture(session: string): string {
  return tmux('capture-pane', '-p', '-t', session);
}

export function keys(session: string, ...names: string[]): void {
  tmux('send-keys', '-t', session, ...names);
}

export const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/** Polls the pane until `predicate` holds; the screen is the test's only input. */
export async function waitForPane(session: string, predicate: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < end) {
    screen = capture(session);
    if (predicate(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
}

/**
 * Starts the built CLI's `run` in a new detached session of `columns` x `rows`, in the plan's
 * repository with the fake agent's scripts. The pane stays open after the run to read the summary.
 */
export function startRunInTmux(
  session: string,
  repo: { dir: string; scripts: string; state: string },
  options: { columns?: number; rows?: number; args?: string[]; env?: Record<string, string> } = {},
): void {
  const extra = Object.entries(options.env ?? {}).map(([name, value]) => `${name}=${quote(value)}`);
  const env = [`FAKE_AGENT_SCRIPT_DIR=${quote(repo.scripts)}`, `FAKE_AGENT_STATE_DIR=${quote(repo.state)}`, 'NO_COLOR=1', ...extra];
  const args = (options.args ?? []).map(quote).join(' ');
  // CI=true would make Ink non-interactive; NODE_ENV=test is vitest's, not a user's.
  const command = `env -u CI -u NODE_ENV ${env.join(' ')} ${quote(process.execPath)} ${quote(CLI)} run ${args}; sleep 60`;
  tmux('new-session', '-d', '-s', session, '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), '-c', repo.dir, command);
}
