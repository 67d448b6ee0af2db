import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Journal } from '../../src/journal/index.js';
import type { JournalEvent } from '../../src/journal/events.js';
import { CLI } from '../helpers/cli.js';
import { planRepo, type PlanRepo } from './plan-repo.js';

/**
 * A plan whose setup, test and verify commands hold (in a `sleep 371`) while their hold file exists, and
 * write the pids of their shell and its sleep to a file first: a run can be stopped in either
 * phase and the processes it started found afterwards.
 */
export interface HoldingRepo extends PlanRepo {
  pidFile(phase: Phase): string;
  hold(phase: Phase): void;
  release(phase: Phase): void;
}

export type Phase = 'setup' | 'test' | 'verify';

function holdingCommand(dir: string, phase: Phase): string {
  const pids = path.join(dir, `${phase}.pids`);
  const hold = path.join(dir, `${phase}.hold`);
  return `echo $$ >> '${pids}'; if [ -e '${hold}' ]; then sleep 371 & echo $! >> '${pids}'; wait $!; fi`;
}

/** One task, played by a shell-line agent that commits a.txt; `trapTerm` makes the commands ignore SIGTERM politely. */
export function holdingRepo(options: { trapTerm?: boolean } = {}): HoldingRepo {
  const base = planRepo([[{ id: 'a' }]]);
  const dir = path.join(path.dirname(base.dir), 'commands');
  mkdirSync(dir);
  // The shell keeps going when asked to stop; its sleep is started again after each SIGTERM.
  const trap = options.trapTerm ? `trap 'echo TERM >> "${path.join(dir, 'term')}"' TERM; ` : '';
  const loop = (phase: Phase): string =>
    options.trapTerm
      ? `${trap}echo $$ >> '${path.join(dir, `${phase}.pids`)}'; while [ -e '${path.join(dir, `${phase}.hold`)}' ]; do sleep 371 & echo $! >> '${path.join(dir, `${phase}.pids`)}'; wait $!; done`
      : holdingCommand(dir, phase);
  const waves = readFileSync(path.join(base.dir, 'WAVES.md'), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
  const frontMatter = [
    '---',
    // Run again on resume (a command agent has no session): it must not fail on work already committed.
    `agent: "echo a > a.txt && git add a.txt && { git diff --cached --quiet || git commit -qm 'Add a.txt'; }"`,
    `setup: ${JSON.stringify(loop('setup'))}`,
    `test: ${JSON.stringify(loop('test'))}`,
    `verify: ${JSON.stringify(loop('verify'))}`,
    'retro: false',
    '---',
  ].join('\n');
  writeFileSync(path.join(base.dir, 'WAVES.md'), `${frontMatter}\n${waves}`);
  base.git('add', '-A');
  base.git('commit', '-qm', 'plan');
  return {
    ...base,
    pidFile: (phase) => path.join(dir, `${phase}.pids`),
    hold: (phase) => writeFileSync(path.join(dir, `${phase}.hold`), ''),
    release: (phase) => rmSync(path.join(dir, `${phase}.hold`), { force: true }),
  };
}

export { running } from '../agent/helpers/processes.js';

export function pidsOf(file: string): number[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
}

export function journal(repo: PlanRepo): JournalEvent[] {
  const runs = path.join(repo.dir, '.git/ccwave/runs');
  if (!existsSync(runs)) return [];
  const id = readdirSync(runs).sort().at(-1);
  return id ? Journal.read(path.join(repo.dir, '.git/ccwave'), id).events : [];
}

export function lockFile(repo: PlanRepo): string {
  return path.join(repo.dir, '.git/ccwave/lock');
}

export async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Started {
  pid: number;
  signal(signal: NodeJS.Signals): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/** `ccwave run --no-tui` in the repository, without waiting for it. */
export function startRun(repo: PlanRepo, env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn(process.execPath, [CLI, 'run', '--no-tui'], { cwd: repo.dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    pid: child.pid!,
    signal: (signal) => child.kill(signal),
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))),
  };
}

/** Kills whatever a failed test left running, so one failure does not hold the machine. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
