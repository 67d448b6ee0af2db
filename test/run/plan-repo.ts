import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { Journal, replay, type JournalEvent, type RunState } from '../../src/journal/index.js';
import { CLI, REPO_ROOT } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { initRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

export const FAKE_AGENT = path.join(REPO_ROOT, 'fixtures/fake-agent/fake-agent.mjs');

export type Step = Record<string, unknown>;
export interface TaskSpec {
  id: string;
  /** The fake agent's turns; default: write `<id>.txt` and commit it. */
  turns?: { steps: Step[]; reply: string }[];
  frontMatter?: string;
}

export interface PlanRepo {
  dir: string;
  scripts: string;
  state: string;
  git(...args: string[]): string;
}

/** One turn that writes a file and commits it: the plain, successful task. */
export function commitTurn(file: string, content = `${file}\n`): { steps: Step[]; reply: string } {
  return { steps: [{ work: 100 }, { write: file, content }, { commit: `Add ${file}` }], reply: `Added ${file}.` };
}

/**
 * A real repository with a plan whose tasks are played by the fake agent, each with its script.
 * `settings` is the WAVES.md front matter (the agent is set to the fake one).
 */
export function planRepo(waves: TaskSpec[][], settings: Record<string, unknown> = {}): PlanRepo {
  const base = tempDir('ccwave-run-');
  const dir = path.join(base, 'repo');
  const scripts = path.join(base, 'scripts');
  const state = path.join(base, 'sessions');
  mkdirSync(dir);
  mkdirSync(scripts);
  const frontMatter = { agent: { kind: 'claude', command: ['node', FAKE_AGENT] }, concurrency: 3, ...settings };
  const body = waves.map((tasks, i) => `## Wave ${i + 1}\n\n${tasks.map((t) => `- ${t.id}`).join('\n')}\n`).join('\n');
  writeFileSync(path.join(dir, 'WAVES.md'), `---\n${stringify(frontMatter)}---\n# Test plan\n\n${body}`);
  for (const task of waves.flat()) {
    const folder = path.join(dir, 'feature-management/features', task.id);
    mkdirSync(folder, { recursive: true });
    const fm = task.frontMatter ? `---\n${task.frontMatter}\n---\n` : '';
    writeFileSync(path.join(folder, 'PROMPT.md'), `${fm}# Feature: ${task.id}\n\n## Overview\nDo ${task.id}.\n\n## Acceptance Criteria\n- [ ] ${task.id}.txt exists\n`);
    writeFileSync(path.join(scripts, `${task.id}.json`), JSON.stringify({ turns: task.turns ?? [commitTurn(`${task.id}.txt`)] }));
  }
  initRepository(dir);
  return { dir, scripts, state, git: (...args) => git(dir, ...args) };
}

/** Makes `dir` (the plan and its features already written) a repository on `main` with one commit. */
export function initRepository(dir: string): void {
  initRepo(dir);
  writeFileSync(path.join(dir, 'README.md'), '# sample\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'initial');
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Exactly what was printed, for byte-for-byte comparisons. */
  stdoutBytes: Buffer;
}

/** The built CLI started in the repository, without a TTY, as an overnight run would. */
export function spawnCcwave(
  repo: Pick<PlanRepo, 'dir' | 'scripts' | 'state'>,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; exited: Promise<RunResult & { signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: repo.dir,
    env: { ...process.env, NO_COLOR: '1', FAKE_AGENT_SCRIPT_DIR: repo.scripts, FAKE_AGENT_STATE_DIR: repo.state, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout!.on('data', (d: Buffer) => out.push(d));
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const exited = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (status, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ status, signal, stdout: stdoutBytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes });
    }),
  );
  return { child, exited };
}

/** Runs the built CLI in the repository to its end. */
export async function runCcwave(repo: Pick<PlanRepo, 'dir' | 'scripts' | 'state'>, args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const { status, stdout, stderr, stdoutBytes } = await spawnCcwave(repo, args, env).exited;
  return { status, stdout, stderr, stdoutBytes };
}

/** Task ids of the merge commits on `ref`, oldest first, from their trailers. */
export function mergedTasks(repo: PlanRepo, ref = 'main'): string[] {
  return repo
    .git('log', '--merges', '--reverse', '--format=%(trailers:key=Ccwave-Task,valueonly)', ref)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The latest run's events; none before its journal file exists (its folder comes first). */
export function journal(repo: Pick<PlanRepo, 'dir'>): JournalEvent[] {
  const runs = path.join(repo.dir, '.git/ccwave/runs');
  if (!existsSync(runs)) return [];
  const id = readdirSync(runs).sort().at(-1);
  if (!id || !existsSync(path.join(runs, id, 'journal.jsonl'))) return [];
  return Journal.read(path.join(repo.dir, '.git/ccwave'), id).events;
}

/** The latest run's state, from its journal. */
export function runState(repo: Pick<PlanRepo, 'dir'>): RunState {
  return replay(journal(repo));
}
