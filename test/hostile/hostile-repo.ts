import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import type { RunState } from '../../src/journal/run-state.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';
import { initRepository, runCcwave, runState, type PlanRepo, type RunResult } from '../run/plan-repo.js';

/**
 * One hostile agent: the body of an ES module run as the task's agent, in its worktree. It can use
 * the prelude's helpers: `git(...args)` (returns trimmed stdout), `write(file, text)`,
 * `commit(file, text?)` (writes, commits, remembers the sha), `made(sha)`, `env`, `fs`, `path`,
 * `cp` (node:child_process).
 */
export interface HostileAgent {
  id: string;
  script: string;
  /** Extra PROMPT.md front matter (per-task settings). */
  frontMatter?: string;
}

export interface HostileRepo extends PlanRepo {
  /** Outside the repository: a file no agent may change, and the agents' own notes. */
  outside: string;
  sentinel: string;
  /** Shas each agent reported making (one a line in `<outside>/made/<task>`). */
  made(taskId: string): string[];
  run(args?: string[], env?: NodeJS.ProcessEnv): Promise<RunResult>;
  runState(): RunState;
  /** Every ref (not reflog) containing `sha`. */
  refsContaining(sha: string): string[];
}

const PRELUDE = `
import cp from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
const env = process.env;
const notes = ${'${JSON.stringify(NOTES)}'};
function git(...args) {
  return cp.execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
function write(file, text) {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}
function made(sha) {
  fs.mkdirSync(path.join(notes, 'made'), { recursive: true });
  fs.appendFileSync(path.join(notes, 'made', env.CCWAVE_TASK_ID), sha + '\\n');
  return sha;
}
function commit(file, text = file + '\\n', message = 'Add ' + file) {
  write(file, text);
  git('add', '--', file);
  git('commit', '-q', '--no-verify', '-m', message);
  return made(git('rev-parse', 'HEAD'));
}
`;

/** Fast, bounded tasks: a hostile agent that hangs must not hold the suite up. */
const TASK_DEFAULTS = { retries: 0, idleTimeout: '20s', timeout: '40s' };

/** A real repository whose plan's tasks are each played by their own hostile script. */
export function hostileRepo(agents: HostileAgent[][], settings: Record<string, unknown> = {}): HostileRepo {
  const base = tempDir('ccwave-hostile-');
  const dir = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  const scripts = path.join(outside, 'agents');
  mkdirSync(dir);
  mkdirSync(scripts, { recursive: true });
  const sentinel = path.join(outside, 'sentinel.txt');
  writeFileSync(sentinel, "the user's own file\n");
  const dispatch = path.join(scripts, 'dispatch.mjs');
  writeFileSync(dispatch, `await import(${JSON.stringify(scripts)} + '/' + process.env.CCWAVE_TASK_ID + '.mjs');\n`);
  for (const agent of agents.flat()) {
    const prelude = PRELUDE.replace('${JSON.stringify(NOTES)}', JSON.stringify(outside));
    writeFileSync(path.join(scripts, `${agent.id}.mjs`), `${prelude}\n${agent.script}\n`);
  }
  const frontMatter = { agent: ['node', dispatch], concurrency: 6, ...settings };
  const body = agents.map((tasks, i) => `## Wave ${i + 1}\n\n${tasks.map((t) => `- ${t.id}`).join('\n')}\n`).join('\n');
  writeFileSync(path.join(dir, 'WAVES.md'), `---\n${stringify(frontMatter)}---\n# Hostile plan\n\n${body}`);
  for (const agent of agents.flat()) {
    const folder = path.join(dir, 'feature-management/features', agent.id);
    mkdirSync(folder, { recursive: true });
    // Per task, so an agent's own front matter can change them (the plan's would win over it).
    const fm = `---\n${stringify({ ...TASK_DEFAULTS, ...(agent.frontMatter ? (parse(agent.frontMatter) as object) : {}) })}---\n`;
    writeFileSync(path.join(folder, 'PROMPT.md'), `${fm}# Feature: ${agent.id}\n\n## Overview\nDo ${agent.id}.\n\n## Acceptance Criteria\n- [ ] done\n`);
  }
  initRepository(dir);
  const repo: HostileRepo = {
    dir,
    scripts,
    state: path.join(outside, 'state'),
    outside,
    sentinel,
    git: (...args) => git(dir, ...args),
    made: (taskId) => {
      const file = path.join(outside, 'made', taskId);
      return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
    },
    run: (args = ['run', '--no-tui'], env = {}) => runCcwave(repo, args, env),
    runState: () => runState({ dir }),
    refsContaining: (sha) => git(dir, 'for-each-ref', '--contains', sha, '--format=%(refname)').split('\n').filter(Boolean),
  };
  return repo;
}

/** Each task's named status: `failed: <reason>`, `done: <reason>`. */
export function outcomes(state: RunState): Record<string, string> {
  return Object.fromEntries(Object.entries(state.tasks).map(([id, t]) => [id, `${t.status}: ${t.reason ?? ''}`]));
}

/** Every sha the agents of `ids` reported that no ref contains. */
export function unreachable(repo: HostileRepo, ids: string[]): string[] {
  return ids.flatMap((id) =>
    repo
      .made(id)
      .filter((sha) => repo.refsContaining(sha).length === 0)
      .map((sha) => `${id} ${sha}`),
  );
}
