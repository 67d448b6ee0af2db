import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { initRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

/**
 * The crash-and-resume harness: a small two-wave plan in a fresh git repository, run by the built
 * CLI with the scripted fake agent, killed with SIGKILL after journal event K
 * (`CCWAVE_FAULT_AFTER_EVENT`), resumed, and compared with an uninterrupted run.
 */

const FIXTURE = path.join(REPO_ROOT, 'fixtures/faults');
const FAKE_AGENT = path.join(REPO_ROOT, 'fixtures/fake-agent/fake-agent.mjs');

/** Every process a sandbox's runner starts inherits this variable: how leftovers are found. */
const SANDBOX_ENV = 'CCWAVE_FAULT_SANDBOX';
/** A whole run takes ~15 s here; a hung one is killed after this and the test fails with its output. */
export const RUN_TIMEOUT_MS = 90_000;
/**
 * A SIGKILLed runner's agents die of SIGHUP when their PTY closes, but only once a synchronous step
 * (a hook, a git command) returns: give them this long before calling them orphans.
 */
const ORPHAN_GRACE_MS = 8_000;
const ORPHAN_POLL_MS = 200;

export const TASKS = ['f1-alpha', 'f2-beta', 'f3-gamma', 'f4-delta', 'f5-epsilon'] as const;
export const WAVE_COUNT = 2;
const RETRO_DIR = 'waves/retros/';
/**
 * Left out of the compared tree: the retrospectives hold times and durations, and the plan's own
 * files name the fake agent by absolute path (they differ per checkout; no run changes them).
 */
const NOT_COMPARED = [RETRO_DIR, 'WAVES.md', 'feature-management/'];

export interface Sandbox {
  /** Temp folder holding the repository, its worktrees (`repo.ccwave/`) and the agents' state. */
  root: string;
  repo: string;
  commitLog: string;
  env: NodeJS.ProcessEnv;
}

/** The sample repository, committed once; each crash point starts from a copy of it (cheaper than rebuilding). */
export function makeTemplate(): string {
  const root = tempDir('ccwave-faults-template-');
  const repo = path.join(root, 'repo');
  cpSync(path.join(FIXTURE, 'repo'), repo, { recursive: true });
  const features = path.join(repo, 'feature-management/features');
  cpSync(path.join(FIXTURE, 'features'), features, { recursive: true });
  cpSync(path.join(FIXTURE, 'WAVES.md'), path.join(repo, 'WAVES.md'));
  // The Claude tasks' PROMPT.md name the fake agent by absolute path.
  for (const file of [path.join(repo, 'WAVES.md'), ...readdirSync(features).map((id) => path.join(features, id, 'PROMPT.md'))]) {
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('{{FAKE_AGENT}}', FAKE_AGENT));
  }
  initRepo(repo);
  git(repo, 'config', 'user.name', 'ccwave faults');
  git(repo, 'config', 'user.email', 'faults@ccwave.invalid');
  git(repo, 'add', '--all');
  git(repo, 'commit', '--quiet', '-m', 'mini: the sample project');
  return repo;
}

export function removeTemplate(template: string): void {
  rmSync(path.dirname(template), { recursive: true, force: true });
}

/** Not a `tempDir`: the callers keep a failing point's sandbox to look into, and remove the rest. */
export function sandboxFrom(template: string, label: string): Sandbox {
  const root = mkdtempSync(path.join(tmpdir(), `ccwave-faults-${label.replace(/[^a-z0-9-]+/gi, '-')}-`));
  const repo = path.join(root, 'repo');
  cpSync(template, repo, { recursive: true });
  const commitLog = path.join(root, 'agent-commits.log');
  writeFileSync(commitLog, '');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CI: 'true',
    NO_COLOR: '1',
    FAKE_AGENT_SCRIPT_DIR: path.join(FIXTURE, 'scripts'),
    FAKE_AGENT_STATE_DIR: path.join(root, 'agent-state'),
    FAULT_AGENT_WORK: path.join(FIXTURE, 'agent-work.mjs'),
    FAULT_COMMIT_LOG: commitLog,
    [SANDBOX_ENV]: root,
  };
  delete env.CCWAVE_FAULT_AFTER_EVENT;
  return { root, repo, commitLog, env };
}

export function removeSandbox(sandbox: Sandbox): void {
  rmSync(sandbox.root, { recursive: true, force: true });
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the built CLI in the sandbox's repository, stdin ignored, no TTY. */
export interface CcwaveOptions {
  faultAfter?: number;
  timeoutMs?: number;
  /** Called every TICK_MS while the CLI runs (to act on the run from outside), with its pid. */
  onTick?: (pid: number) => void;
  /** Extra environment for this run only. */
  env?: NodeJS.ProcessEnv;
}

const TICK_MS = 100;

export function ccwave(sandbox: Sandbox, args: string[], options: CcwaveOptions = {}): Promise<CliRun> {
  const env = { ...sandbox.env, ...options.env, ...(options.faultAfter !== undefined ? { CCWAVE_FAULT_AFTER_EVENT: String(options.faultAfter) } : {}) };
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: sandbox.repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      stderr += `\n[harness] killed after ${options.timeoutMs ?? RUN_TIMEOUT_MS} ms\n`;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? RUN_TIMEOUT_MS);
    const onTick = options.onTick;
    const ticker = onTick ? setInterval(() => onTick(child.pid!), TICK_MS) : undefined;
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(ticker);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export function run(sandbox: Sandbox, options: CcwaveOptions = {}): Promise<CliRun> {
  return ccwave(sandbox, ['run', 'WAVES.md', '--no-tui'], options);
}

// ---- the journal ------------------------------------------------------------------------------

export interface JournalLine {
  seq: number;
  type: string;
  [key: string]: unknown;
}

export function runDirs(sandbox: Sandbox): string[] {
  const runs = path.join(sandbox.repo, '.git/ccwave/runs');
  return existsSync(runs)
    ? readdirSync(runs)
        .sort()
        .map((id) => path.join(runs, id))
    : [];
}

export function journalFile(sandbox: Sandbox): string {
  const dirs = runDirs(sandbox);
  if (dirs.length !== 1) throw new Error(`expected one run in ${sandbox.repo}, found ${dirs.length}`);
  return path.join(dirs[0]!, 'journal.jsonl');
}

/** The journal's complete lines (a torn last line is skipped, as ccwave does). */
export function readJournal(sandbox: Sandbox): JournalLine[] {
  const text = readFileSync(journalFile(sandbox), 'utf8');
  const events: JournalLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as JournalLine);
    } catch {
      // torn write
    }
  }
  return events;
}

/** One journal line, short: `merge-intent f2-beta`, `test-started w1 [f1-alpha]`, ... */
export function describeEvent(event: JournalLine | undefined): string {
  if (!event) return '(none)';
  const bits = [event.type];
  if (typeof event.task === 'string') bits.push(event.task);
  if (typeof event.wave === 'number') bits.push(`w${event.wave}`);
  if (typeof event.state === 'string') bits.push(event.state);
  if (typeof event.status === 'string') bits.push(event.status);
  if (typeof event.result === 'string') bits.push(event.result);
  if (Array.isArray(event.tasks)) bits.push(`[${(event.tasks as string[]).join(',')}]`);
  if (event.type === 'agent-starting') bits.push(`attempt ${String(event.attempt)}${event.resume ? ' resume' : ''}`);
  return bits.join(' ');
}

/** The journal so far, or nothing before the run has one (for watching a live run). */
export function journalSoFar(sandbox: Sandbox): JournalLine[] {
  return runDirs(sandbox).length === 1 && existsSync(journalFile(sandbox)) ? readJournal(sandbox) : [];
}

/** Appends raw text, past the schema: how a fault tears or corrupts the journal's last line. */
export function appendUncheckedToJournal(sandbox: Sandbox, text: string): void {
  appendFileSync(journalFile(sandbox), text);
}

// ---- outcome ----------------------------------------------------------------------------------

const EXPECTED_TREE = path.join(FIXTURE, 'expected-main-tree.txt');

/**
 * main's tree after the fixture plan, without the retrospectives: what every run must end with.
 * The full suite checks it against a fresh uninterrupted run; the others compare with it directly,
 * which saves them that run. After changing the fixture, write the new tree with
 * `FAULT_WRITE_EXPECTED=1 FAULT_POINTS=1 npx vitest run --config vitest.faults.config.ts crash-points`.
 */
export function expectedTree(): string {
  return readFileSync(EXPECTED_TREE, 'utf8').trimEnd();
}

export function writeExpectedTree(tree: string): void {
  writeFileSync(EXPECTED_TREE, `${tree}\n`);
}

export interface Outcome {
  /** `git ls-tree -r main` without the paths in NOT_COMPARED. */
  tree: string;
  /** Merge commits on main carrying a `Ccwave-Task:` trailer, counted per task. */
  merges: Record<string, number>;
  retros: string[];
  finished: boolean;
  events: number;
}

export function outcomeOf(sandbox: Sandbox): Outcome {
  const tree = git(sandbox.repo, 'ls-tree', '-r', 'main')
    .split('\n')
    .filter((line) => !NOT_COMPARED.some((prefix) => line.split('\t')[1]?.startsWith(prefix)))
    .join('\n');
  const merges: Record<string, number> = {};
  const trailers = git(sandbox.repo, 'log', '--merges', '--format=%(trailers:key=Ccwave-Task,valueonly)', 'main');
  for (const task of trailers
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean))
    merges[task] = (merges[task] ?? 0) + 1;
  const retros = git(sandbox.repo, 'ls-tree', '-r', '--name-only', 'main', '--', RETRO_DIR).split('\n').filter(Boolean);
  const events = readJournal(sandbox);
  return { tree, merges, retros, finished: events.at(-1)?.type === 'run-finished', events: events.length };
}

/** Commits the agents made (from the fixture's commit log) that no branch or archive ref reaches. */
export function lostCommits(sandbox: Sandbox): string[] {
  const made = new Set(
    readFileSync(sandbox.commitLog, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ')[1]!),
  );
  // Also every commit on a task branch now, in case an agent committed outside the script.
  for (const sha of git(sandbox.repo, 'rev-list', '--glob=refs/heads/ccwave/*/w*').split('\n').filter(Boolean)) made.add(sha);
  const reachable = new Set(git(sandbox.repo, 'rev-list', '--branches', '--glob=refs/ccwave/archive/*').split('\n'));
  return [...made].filter((sha) => !reachable.has(sha));
}

export function worktrees(sandbox: Sandbox): string[] {
  return git(sandbox.repo, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length));
}

// ---- processes --------------------------------------------------------------------------------

export interface LeftoverProcess {
  pid: number;
  cmdline: string;
  cwd: string;
}

function sandboxProcesses(sandbox: Sandbox): LeftoverProcess[] {
  const marker = Buffer.from(`${SANDBOX_ENV}=${sandbox.root}\0`);
  const found: LeftoverProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = readFileSync(`/proc/${entry}/environ`);
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // gone, or a zombie
      }
      if (environ.includes(marker) || cmdline.includes(sandbox.root) || cwd.startsWith(sandbox.root)) {
        if (readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
        found.push({ pid: Number(entry), cmdline, cwd });
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

/** Processes of this sandbox still alive after a grace period (fake agents, hooks, tests). */
export async function leftoverProcesses(sandbox: Sandbox, graceMs = ORPHAN_GRACE_MS): Promise<LeftoverProcess[]> {
  const until = Date.now() + graceMs;
  for (;;) {
    const left = sandboxProcesses(sandbox);
    if (left.length === 0 || Date.now() >= until) return left;
    await new Promise((resolve) => setTimeout(resolve, ORPHAN_POLL_MS));
  }
}

/** Kills whatever a failed test left behind, by pid, so the next test starts clean. */
export function killLeftovers(sandbox: Sandbox): void {
  for (const p of sandboxProcesses(sandbox)) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Processes of this sandbox alive now whose command line contains `text`. */
export function liveProcesses(sandbox: Sandbox, text: string): LeftoverProcess[] {
  return sandboxProcesses(sandbox).filter((p) => p.cmdline.includes(text));
}

/** Fake-agent processes of this sandbox that are alive now. */
export function liveAgents(sandbox: Sandbox): LeftoverProcess[] {
  return liveProcesses(sandbox, 'fake-agent.mjs');
}
