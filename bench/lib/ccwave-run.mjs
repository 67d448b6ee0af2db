// One `ccwave run --no-tui` of a single wave of tiny tasks on a fresh sample repository, measured
// from outside: wall time, the runner's own CPU and peak RSS (bench/lib/measure-cli.mjs), its
// journal, and (on request) every git process it started, counted by a logging `git` shim.
// Shared by bench/orchestration.mjs and bench/scale.mjs.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BENCH, gitEnv, makeSampleRepo, rmrf, runTimed, tempDir } from './common.mjs';

/** The benchmarks' script agent: writes one file, commits (sleeps BENCH_AGENT_SLEEP first). */
export const AGENT = path.join(BENCH, 'fixtures/agent.sh');
const MEASURE = path.join(BENCH, 'lib/measure-cli.mjs');

/** `count` task ids, task-001 on. */
export function taskIds(count) {
  return Array.from({ length: count }, (_, i) => `task-${String(i + 1).padStart(3, '0')}`);
}

/** The sample repository's extra files: a PROMPT.md per task and a WAVES.md with one wave of them all. */
export function waveFiles({ ids, agentYaml, concurrency, test, gate = 'each' }) {
  const files = {};
  for (const id of ids) {
    files[`feature-management/features/${id}/PROMPT.md`] = `# Feature: ${id}\n\n## Overview\nWrite tasks/${id}.txt and commit it.\n\n## Acceptance Criteria\n- [ ] tasks/${id}.txt exists\n`;
  }
  files['WAVES.md'] = [
    '---',
    `agent: ${agentYaml}`,
    `concurrency: ${concurrency}`,
    `test: ${test}`,
    `merge: { gate: ${gate}, onConflict: skip }`,
    '---',
    '# Benchmark',
    '',
    '## Wave 1',
    '',
    ...ids.map((id) => `- ${id}`),
    '',
  ].join('\n');
  return files;
}

/** The command adapter running the script agent, as WAVES.md says it. */
export const COMMAND_AGENT_YAML = `{ kind: command, command: [sh, ${JSON.stringify(AGENT)}] }`;

/**
 * A `git` first in PATH that appends `runner SUBCOMMAND` or `agent SUBCOMMAND` (an agent runs
 * with CCWAVE_TASK_ID set) to $BENCH_GIT_LOG, when that is set, and runs the real git.
 */
export function gitShim(dir) {
  const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  const shim = path.join(dir, 'git');
  writeFileSync(shim, `#!/bin/sh\n[ -z "\${BENCH_GIT_LOG:-}" ] || printf '%s %s\\n' "\${CCWAVE_TASK_ID:+agent}\${CCWAVE_TASK_ID:-runner}" "$1" >> "$BENCH_GIT_LOG"\nexec ${realGit} "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

/** The git processes in a shim's log: the runner's, by subcommand, and the agents'. */
export function countGitLog(text) {
  const lines = text.trim().split('\n').filter(Boolean);
  const runner = lines.filter((l) => l.startsWith('runner '));
  const bySub = {};
  for (const l of runner) bySub[l.split(' ')[1]] = (bySub[l.split(' ')[1]] ?? 0) + 1;
  return { runner: runner.length, agents: lines.length - runner.length, bySub };
}

/** The journal (JSONL text) of the one run in `repo`. */
export function journalText(repo) {
  const runs = path.join(repo, '.git/ccwave/runs');
  const [run] = readdirSync(runs);
  return readFileSync(path.join(runs, run, 'journal.jsonl'), 'utf8');
}

/**
 * Runs `ccwave run WAVES.md --no-tui` on a fresh sample repository with `files` (see waveFiles)
 * and returns its wall time, own CPU (user + system, children excluded), peak RSS, journal and,
 * with `countGit`, the git processes it and its agents started. `env` is added to the run's
 * environment, and so is what `prepare(tempDir)` returns (e.g. files the agents read);
 * `profileDir` takes a V8 CPU profile of the runner.
 */
export async function runCcwave({ files, env: extraEnv = {}, prepare, countGit = false, profileDir }) {
  const dir = tempDir('ccwave-bench-run-');
  try {
    const home = path.join(dir, 'home');
    mkdirSync(home);
    const repo = path.join(dir, 'repo');
    makeSampleRepo(repo, { files });
    const env = { ...gitEnv(home), ...extraEnv, ...prepare?.(dir) };
    if (countGit) {
      env.PATH = `${gitShim(path.join(dir, 'shim'))}:${env.PATH}`;
      env.BENCH_GIT_LOG = path.join(dir, 'git.log');
      writeFileSync(env.BENCH_GIT_LOG, '');
    }
    const measured = path.join(dir, 'measure.json');
    const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const spawnedAt = Date.now();
    const result = await runTimed(process.execPath, [...nodeArgs, MEASURE, measured, 'run', 'WAVES.md', '--no-tui'], { cwd: repo, env });
    if (result.code !== 0) throw new Error(`ccwave run exited ${result.code}:\n${result.stdout.slice(-3000)}\n${result.stderr.slice(-3000)}`);
    const self = JSON.parse(readFileSync(measured, 'utf8'));
    const journal = journalText(repo);
    return {
      wall: result.ms,
      cpuMs: self.userMs + self.systemMs,
      userMs: self.userMs,
      systemMs: self.systemMs,
      maxRssKiB: self.maxRssKiB,
      spawnedAt,
      exitedAt: self.exitedAt,
      journal,
      events: journal
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
      git: countGit ? countGitLog(readFileSync(env.BENCH_GIT_LOG, 'utf8')) : undefined,
    };
  } finally {
    rmrf(dir);
  }
}
