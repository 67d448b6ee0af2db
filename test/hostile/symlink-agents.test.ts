import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, latestRun, type JournalEvent } from '../../src/journal/index.js';
import { tempDir } from '../helpers/temp.js';
import { planRepo, runCcwave, type PlanRepo } from '../run/plan-repo.js';

/**
 * Command agents that commit symlinks pointing out of the repository, where ccwave later writes:
 * the retrospective, its folder, and the paths of the `copy` setting. Whatever they commit, ccwave
 * must not write through the link, must say why it left something out, must keep their commits, and
 * must be able to run again.
 */

// Writes a file of its own (real work), replaces LINK by a symlink to TARGET, force-adds and commits
// both, and records the commit it made. Without LINK it only does the work.
const HOSTILE_AGENT = `
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
const [record, link, target] = process.argv.slice(2);
const linking = process.env.CCWAVE_TASK_ID === 'a';
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
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

interface Hostile {
  repo: PlanRepo;
  outside: string;
  record: string;
}

/**
 * A repository whose wave 1 task `a` links LINK to TARGET (relative to a folder outside the
 * repository), and whose optional wave 2 task `b` only works.
 */
function hostileRepo(link: string, target: string, options: { secondWave?: boolean; settings?: Record<string, unknown> } = {}): Hostile {
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

function outsideSnapshot(outside: string): Record<string, string> {
  return Object.fromEntries(readdirSync(outside).sort().map((name) => [name, readFileSync(path.join(outside, name), 'utf8')]));
}

function journalEvents(repo: PlanRepo): JournalEvent[] {
  const dataDir = path.join(repo.dir, '.git', 'ccwave');
  return Journal.read(dataDir, latestRun(dataDir)!).events;
}

function expectCommitsReachable(h: Hostile): void {
  const commits = readFileSync(h.record, 'utf8').split('\n').filter(Boolean);
  expect(commits.length).toBeGreaterThan(0);
  for (const sha of commits) expect(h.repo.git('for-each-ref', '--contains', sha, '--format=%(refname)'), sha).not.toBe('');
}

/** Runs the plan, then runs it again: neither may end as an internal error. */
async function runTwice(h: Hostile): Promise<{ first: Awaited<ReturnType<typeof runCcwave>>; second: Awaited<ReturnType<typeof runCcwave>> }> {
  const first = await runCcwave(h.repo, ['run', 'WAVES.md']);
  expect(first.stderr).not.toMatch(/internal error/i);
  expect([0, 1], first.stdout + first.stderr).toContain(first.status);
  const second = await runCcwave(h.repo, ['run', 'WAVES.md']);
  expect(second.stderr).not.toMatch(/internal error/i);
  expect([0, 1], second.stdout + second.stderr).toContain(second.status);
  return { first, second };
}

describe('agents committing symlinks where ccwave writes', () => {
  it('a retrospective file linked outside: the retro is skipped with its reason, the linked file untouched', async () => {
    const h = hostileRepo('waves/retros/test-plan-wave-1.md', 'secret.txt');
    const before = outsideSnapshot(h.outside);
    const { first } = await runTwice(h);
    expect(outsideSnapshot(h.outside)).toEqual(before);
    const skipped = journalEvents(h.repo).filter((e) => e.type === 'retro-skipped');
    expect(skipped).toMatchObject([{ wave: 1, path: 'waves/retros/test-plan-wave-1.md', reason: expect.stringMatching(/symlink/) }]);
    expect(first.stdout).toMatch(/retrospective skipped: .*symlink/);
    expectCommitsReachable(h);
  });

  it('the retrospective folder linked outside: nothing is written there, and running again works', async () => {
    const h = hostileRepo('waves/retros', '.');
    const before = outsideSnapshot(h.outside);
    await runTwice(h);
    expect(outsideSnapshot(h.outside)).toEqual(before);
    expect(journalEvents(h.repo).some((e) => e.type === 'retro-skipped' && /waves\/retros.*symlink/.test(e.reason))).toBe(true);
    expectCommitsReachable(h);
  });

  it('a copied .env committed as a symlink: the next wave does not copy the user\'s .env into its target', async () => {
    const h = hostileRepo('.env', 'secret.txt', { secondWave: true, settings: { copy: ['.env'], land: false } });
    writeFileSync(path.join(h.repo.dir, '.gitignore'), '.env\n');
    writeFileSync(path.join(h.repo.dir, '.env'), 'API_KEY=users-real-key\n');
    h.repo.git('add', '.gitignore');
    h.repo.git('commit', '-qm', 'ignore .env');
    const before = outsideSnapshot(h.outside);
    const { first } = await runTwice(h);
    expect(outsideSnapshot(h.outside)).toEqual(before);
    expect(readFileSync(path.join(h.repo.dir, '.env'), 'utf8')).toBe('API_KEY=users-real-key\n');
    const skipped = journalEvents(h.repo).filter((e) => e.type === 'copy-skipped');
    expect(skipped).toContainEqual(expect.objectContaining({ task: 'b', path: '.env', reason: expect.stringMatching(/symlink/) }));
    expect(first.stdout).toMatch(/b {2}not copied: \.env/);
    expectCommitsReachable(h);
  });

  it('a folder on a copied path committed as a symlink: nothing is copied through it', async () => {
    const h = hostileRepo('config', '.', { secondWave: true, settings: { copy: ['config/local.json'], land: false } });
    mkdirSync(path.join(h.repo.dir, 'config'));
    writeFileSync(path.join(h.repo.dir, '.gitignore'), 'config/local.json\n');
    writeFileSync(path.join(h.repo.dir, 'config/local.json'), '{"password":"hunter2"}\n');
    h.repo.git('add', '.gitignore');
    h.repo.git('commit', '-qm', 'ignore local config');
    const before = outsideSnapshot(h.outside);
    await runTwice(h);
    expect(outsideSnapshot(h.outside)).toEqual(before);
    const skipped = journalEvents(h.repo).filter((e) => e.type === 'copy-skipped');
    expect(skipped).toContainEqual(expect.objectContaining({ task: 'b', path: 'config/local.json', reason: expect.stringMatching(/config.*symlink/) }));
    expectCommitsReachable(h);
  });
});
