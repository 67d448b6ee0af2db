import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { Journal, latestRun, type JournalEvent } from '../../src/journal/index.js';
import { tempDir } from '../helpers/temp.js';
import { planRepo, runCcwave, type PlanRepo } from '../run/plan-repo.js';

/**
 * Command agents that commit symlinks pointing out of the repository, where ccwave later writes or
 * reads. Whatever they commit, ccwave must not write through the link, must say why it left
 * something out, must keep their commits, and must be able to run again.
 */

// Task `a` writes a file of its own (real work), replaces LINK by a symlink to TARGET, force-adds and
// commits both, and records the commit it made; other tasks only do the work. As the lessons
// session of `retro.agent`, it commits LESSONS.md as a symlink to TARGET.
const HOSTILE_AGENT = `
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
const [record, link, target] = process.argv.slice(2);
const linking = process.env.CCWAVE_TASK_ID === 'a';
const git = (...args) => execFileSync('git', ['-c', 'user.name=Agent', '-c', 'user.email=agent@example.com', ...args], { encoding: 'utf8' }).trim();
if (process.env.CCWAVE_TASK_ID.startsWith('retro-wave-')) {
  // The lessons session: its LESSONS.md is a link to the user's file.
  symlinkSync(target, 'LESSONS.md');
  git('add', '--', 'LESSONS.md');
  git('commit', '--quiet', '-m', 'lessons');
  process.exit(0);
}
const own = process.env.CCWAVE_TASK_ID + '.txt';
writeFileSync(own, process.env.CCWAVE_RUN_ID + '\\n');
git('add', '--', own);
if (linking) {
  rmSync(link, { recursive: true, force: true });
  mkdirSync(path.dirname(link), { recursive: true });
  symlinkSync(target, link);
  git('add', '--force', '--', link);
}
git('commit', '--quiet', '-m', 'work' + (linking ? ' and a link at ' + link : ''));
appendFileSync(record, git('rev-parse', 'HEAD') + '\\n');
`;

export interface Hostile {
  repo: PlanRepo;
  outside: string;
  record: string;
}

/**
 * A repository whose wave 1 task `a` links LINK to TARGET (relative to a folder outside the
 * repository), and whose optional wave 2 task `b` only works.
 */
export function hostileRepo(link: string, target: string, options: { secondWave?: boolean; settings?: Record<string, unknown> } = {}): Hostile {
  const base = tempDir('ccwave-hostile-');
  const outside = path.join(base, 'outside');
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), "the user's own file\n");
  const script = path.join(base, 'hostile-agent.mjs');
  writeFileSync(script, HOSTILE_AGENT);
  const record = path.join(base, 'commits.txt');
  writeFileSync(record, '');
  const waves = [[{ id: 'a' }], ...(options.secondWave ? [[{ id: 'b' }]] : [])];
  const agent = ['node', script, record, link, path.join(outside, target)];
  const repo = planRepo(waves, { agent, ...options.settings });
  return { repo, outside, record };
}

export function outsideSnapshot(outside: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(outside)
      .sort()
      .map((name) => [name, readFileSync(path.join(outside, name), 'utf8')]),
  );
}

export function journalEvents(repo: PlanRepo): JournalEvent[] {
  const dataDir = path.join(repo.dir, '.git', 'ccwave');
  return Journal.read(dataDir, latestRun(dataDir)!).events;
}

export function expectCommitsReachable(h: Hostile): void {
  const commits = readFileSync(h.record, 'utf8').split('\n').filter(Boolean);
  expect(commits.length).toBeGreaterThan(0);
  for (const sha of commits) expect(h.repo.git('for-each-ref', '--contains', sha, '--format=%(refname)'), sha).not.toBe('');
}

/** Runs the plan, then runs it again: neither may end as an internal error. */
export async function runTwice(h: Hostile): Promise<{ first: Awaited<ReturnType<typeof runCcwave>>; second: Awaited<ReturnType<typeof runCcwave>> }> {
  const first = await runCcwave(h.repo, ['run', 'WAVES.md']);
  expect(first.stderr).not.toMatch(/internal error/i);
  expect([0, 1], first.stdout + first.stderr).toContain(first.status);
  const second = await runCcwave(h.repo, ['run', 'WAVES.md']);
  expect(second.stderr).not.toMatch(/internal error/i);
  expect([0, 1], second.stdout + second.stderr).toContain(second.status);
  return { first, second };
}
