import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCcwave } from '../run/plan-repo.js';
import { expectCommitsReachable, hostileRepo, journalEvents, outsideSnapshot, runTwice } from './symlink-agent-repo.js';

/**
 * The retrospective, its folder, and the paths of the `copy` setting, committed as symlinks out of
 * the repository by an agent of an earlier wave.
 */
describe('agents committing symlinks where ccwave writes', () => {
  it('a retrospective file linked outside: the retro is skipped with its reason, the linked file untouched', async () => {
    const h = hostileRepo('waves/retros/test-plan-wave-1.md', 'secret.txt');
    const before = outsideSnapshot(h.outside);
    const { first } = await runTwice(h);
    expect(outsideSnapshot(h.outside)).toEqual(before);
    const skipped = journalEvents(h.repo).filter((e) => e.type === 'retro-skipped');
    expect(skipped).toMatchObject([{ wave: 1, path: 'waves/retros/test-plan-wave-1.md', reason: expect.stringMatching(/symlink/) }]);
    expect(first.stdout).toMatch(/retrospective skipped: .*symlink/);
    expect(first.stdout).toMatch(/Retrospectives: +wave 1 not written: .*symlink/);
    expect((await runCcwave(h.repo, ['status'])).stdout).toMatch(/Wave 1 .* retro skipped\n +retro not written: .*symlink/);
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

  it("a copied .env committed as a symlink: the next wave does not copy the user's .env into its target", async () => {
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
    expect((await runCcwave(h.repo, ['status'])).stdout).toMatch(/not copied: \.env: it is a symlink in the worktree/);
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
