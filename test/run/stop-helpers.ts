import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { journal, runState, spawnCcwave, type PlanRepo, type RunResult, type Step } from './plan-repo.js';

// Where the stop tests import them from.
export { journal, runState };

/** Long enough never to end by itself in a test: the run is stopped while it lasts. */
export const FOREVER_MS = 120_000;
const POLL_MS = 50;

export async function until(predicate: () => boolean, what: string, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export interface LiveRun {
  pid: number;
  /** Resolves when the CLI has exited, with its exit code or signal. */
  exited: Promise<RunResult & { signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `ccwave run --no-tui` in the repository, to be stopped from outside. */
export function startRun(repo: PlanRepo, env: NodeJS.ProcessEnv = {}): LiveRun {
  const { child, exited } = spawnCcwave(repo, ['run', '--no-tui'], env);
  return { pid: child.pid!, exited, kill: (signal) => child.kill(signal) };
}

/** Processes whose environment names this repository's agent scripts: the agents, their children, test commands. */
export function leftovers(repo: PlanRepo): string[] {
  const marker = `FAKE_AGENT_SCRIPT_DIR=${repo.scripts}\0`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'utf8').includes(marker)) continue;
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
      found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`);
    } catch {
      // ended while we looked
    }
  }
  return found;
}

/** Waits a little for processes that are on their way out (a PTY's SIGHUP), then lists what is left. */
export async function leftoversAfter(repo: PlanRepo, graceMs = 5_000): Promise<string[]> {
  try {
    await until(() => leftovers(repo).length === 0, 'no process left', graceMs);
  } catch {
    // reported by the caller's assertion
  }
  return leftovers(repo);
}

/**
 * The step of a fake agent's turn that resolves the add/add conflict on `file`: merges the
 * integration branch into the task's branch, keeps both sides, commits.
 */
export function resolveStep(file: string, content: string): Step {
  const script = [
    `git merge --no-edit "$(git for-each-ref --format='%(objectname)' 'refs/heads/ccwave/*/integration')" >/dev/null 2>&1`,
    `printf '${content.replaceAll('\n', '\\n')}' > ${file}`,
    'git add -A',
    "git -c user.name=Agent -c user.email=agent@example.com commit -qm 'Resolve the merge conflict'",
  ].join('; ');
  return { run: ['sh', '-c', script] };
}

/** The messages a fake agent's sessions received, in order, from its transcripts. */
export function messagesTo(repo: PlanRepo, sessionId: string): string[] {
  const file = path.join(repo.state, `${sessionId}.jsonl`);
  if (!existsSync(file)) return [];
  return (
    readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      // The transcript also holds the API responses' usage, which are not screen lines.
      .map((line) => (JSON.parse(line) as { line?: unknown }).line)
      .filter((line): line is string => typeof line === 'string' && line.startsWith('❯ '))
      .map((line) => line.slice(2))
  );
}
