import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanCommand } from '../../src/cli/actions/clean.js';
import { UserError } from '../../src/errors.js';
import { Repo } from '../../src/git/index.js';
import { acquireLock, journalPath, runDir } from '../../src/journal/index.js';
import { makeRepo, snapshotRepo, type TestRepo } from '../helpers/repo.js';
import { gitShim, pathWith } from '../helpers/git-shim.js';
import { captureIO, startRun, type RunFixture } from './run-fixture.js';

const RUN = '20261123-144501-ab12';
const OTHER = '20261123-150000-cdef';
let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

function branches(r: TestRepo, prefix: string): string[] {
  return r.git('for-each-ref', '--format=%(refname)', prefix).split('\n').filter(Boolean);
}

function refSha(r: TestRepo, ref: string): string | undefined {
  try {
    return r.git('rev-parse', '--verify', '--quiet', ref);
  } catch {
    return undefined;
  }
}

/**
 * A finished run: `merged` is merged into the integration branch, which was then landed on main;
 * `unmerged` has a commit found nowhere else; `empty` made no commits.
 */
async function finishedRun(r: TestRepo): Promise<RunFixture> {
  const run = await startRun(r, RUN, [{ id: 'merged', files: { 'merged.txt': 'm\n' } }, { id: 'unmerged', files: { 'unmerged.txt': 'u\n' } }, { id: 'empty' }]);
  await run.merge('merged');
  run.finish();
  r.git('merge', '--quiet', '--ff-only', run.integration.branch);
  return run;
}

describe('ccwave clean of a finished run', () => {
  // Building the run takes many git commands: build it once, restore a copy before each test.
  let fixture: { r: TestRepo; run: RunFixture };
  let snapshot: ReturnType<typeof snapshotRepo>;
  beforeAll(async () => {
    const r = makeRepo();
    fixture = { r, run: await finishedRun(r) };
    snapshot = snapshotRepo(r);
  });
  beforeEach(() => snapshot.restore());
  afterAll(() => snapshot.dispose());

  it('--dry-run prints the plan and changes nothing', async () => {
    const { r, run } = fixture;
    const before = branches(r, 'refs/');
    const io = captureIO();
    expect(await cleanCommand({ cwd: r.dir, dryRun: true }, io)).toBe(0);
    const text = io.stdout();
    expect(text).toContain(`Would clean run ${RUN} (finished)`);
    expect(text).not.toContain('Cleaning');
    expect(text).toContain(`would remove worktree ${run.tasks.merged?.path}`);
    expect(text).toContain(`would delete branch ccwave/${RUN}/w1/merged (all its commits are on other branches), archiving its tip as refs/ccwave/archive/${RUN}/w1/merged`);
    expect(text).toContain(`would keep branch ccwave/${RUN}/w1/unmerged: 1 commit not on any of your branches`);
    expect(text).toContain('Dry run: nothing was changed.');
    expect(branches(r, 'refs/')).toEqual(before);
    expect(existsSync(run.tasks.merged?.path ?? '')).toBe(true);
  });

  it('archives before deleting, keeps unmerged work, and leaves the checkout alone', async () => {
    const { r, run } = fixture;
    const mainBefore = r.sha('main');
    const io = captureIO();
    expect(await cleanCommand({ cwd: r.dir }, io)).toBe(0);

    for (const id of ['merged', 'empty']) {
      expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/${id}`)).toBeUndefined();
      expect(refSha(r, `refs/ccwave/archive/${RUN}/w1/${id}`)).toBe(run.tasks[id]?.tip);
    }
    expect(refSha(r, `refs/ccwave/archive/${RUN}/integration`)).toBe(mainBefore);
    // The unmerged branch stays, and is not archived because it was not deleted.
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/unmerged`)).toBe(run.tasks.unmerged?.tip);
    expect(refSha(r, `refs/ccwave/archive/${RUN}/w1/unmerged`)).toBeUndefined();
    // All worktrees are gone (they were clean), with the run's folder.
    for (const task of Object.values(run.tasks)) expect(existsSync(task.path)).toBe(false);
    expect(existsSync(path.dirname(run.integration.path))).toBe(false);
    expect(r.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    // The user's checkout did not change.
    expect(r.sha('HEAD')).toBe(mainBefore);
    expect(r.git('status', '--porcelain')).toBe('');

    const text = io.stdout();
    expect(text).toContain(`deleted branch ccwave/${RUN}/w1/merged (all its commits are on other branches); its tip is kept as refs/ccwave/archive/${RUN}/w1/merged`);
    expect(text).toContain(`kept branch ccwave/${RUN}/w1/unmerged: 1 commit not on any of your branches; merge it, or use --force`);
    expect(text).toContain('Removed 4 worktree(s) and 3 branch(es); kept 1 item(s).');
  });

  it('a second clean says only that there is nothing to clean, and the empty worktrees folder is gone', async () => {
    const { r, run } = fixture;
    const root = path.dirname(path.dirname(run.integration.path));
    expect(path.basename(root)).toBe(`${path.basename(r.dir)}.ccwave`);
    expect(await cleanCommand({ cwd: r.dir, force: true }, captureIO())).toBe(0);
    expect(existsSync(root)).toBe(false);
    const io = captureIO();
    expect(await cleanCommand({ cwd: r.dir, force: true }, io)).toBe(0);
    expect(io.stdout()).toBe('Nothing to clean.\n');
  });

  it('keeps a dirty worktree and its branch without --force, and removes both with it', async () => {
    const { r, run } = fixture;
    const unmerged = run.tasks.unmerged;
    if (!unmerged) throw new Error('fixture');
    writeFileSync(path.join(unmerged.path, 'notes.txt'), 'not committed\n');

    let io = captureIO();
    await cleanCommand({ cwd: r.dir }, io);
    expect(io.stdout()).toContain(`kept worktree ${unmerged.path}: 1 uncommitted file (notes.txt); commit them, or use --force`);
    expect(existsSync(path.join(unmerged.path, 'notes.txt'))).toBe(true);

    io = captureIO();
    expect(await cleanCommand({ cwd: r.dir, force: true }, io)).toBe(0);
    expect(existsSync(unmerged.path)).toBe(false);
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/unmerged`)).toBeUndefined();
    // Even forced, the commits stay reachable: the clean can be undone.
    expect(refSha(r, `refs/ccwave/archive/${RUN}/w1/unmerged`)).toBe(unmerged.tip);
    expect(io.stdout()).toContain('--force (1 commit only in the archive now)');
  });

  it('never touches a live run, and keeps resumable runs unless asked', async () => {
    const { r } = fixture;
    const interrupted = await startRun(r, OTHER, [{ id: 'x' }]);
    interrupted.journal.append({ type: 'run-interrupted', reason: 'SIGINT', signal: 'SIGINT' });
    interrupted.journal.close();
    const dataDir = (await Repo.open(r.dir)).dataDir;

    const lock = acquireLock(dataDir, { runId: OTHER, command: 'ccwave run WAVES.md', releaseOnExit: false });
    try {
      const io = captureIO();
      await cleanCommand({ cwd: r.dir, all: true, dryRun: true }, io);
      expect(io.stdout()).toContain(`Keeping run ${OTHER}: it is live (pid ${process.pid})`);
      expect(io.stdout()).not.toContain(`/${OTHER}/`);
      // While a run holds the lock, clean changes nothing at all.
      const before = branches(r, 'refs/');
      for (const options of [{ run: OTHER }, {}]) {
        const error = await cleanCommand({ cwd: r.dir, ...options }, captureIO()).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(UserError);
        expect((error as UserError).message).toContain(`run ${OTHER} is being run by pid ${process.pid}`);
      }
      expect(branches(r, 'refs/')).toEqual(before);
    } finally {
      lock.release();
    }

    let io = captureIO();
    await cleanCommand({ cwd: r.dir, dryRun: true }, io);
    expect(io.stdout()).toContain(`Keeping run ${OTHER}: interrupted and can be resumed; clean it with --run ${OTHER} or --all`);
    io = captureIO();
    await cleanCommand({ cwd: r.dir, run: OTHER }, io);
    expect(existsSync(interrupted.tasks.x?.path ?? '')).toBe(false);
    expect(branches(r, `refs/heads/ccwave/${OTHER}/`)).toEqual([]);
  });

  it('never removes anything of a run it has no journal of, even with --force, and refuses unknown runs', async () => {
    const { r, run } = fixture;
    rmSync(runDir((await Repo.open(r.dir)).dataDir, RUN), { recursive: true });
    const before = branches(r, 'refs/');
    const io = captureIO();
    expect(await cleanCommand({ cwd: r.dir, force: true }, io)).toBe(0);
    expect(io.stdout()).toContain(`Not cleaning run ${RUN}: ccwave has no journal of it, so its branches and worktrees are not ccwave's`);
    expect(io.stdout()).toContain(`kept branch ccwave/${RUN}/w1/merged: not ccwave's (no ccwave journal records it)`);
    expect(branches(r, 'refs/')).toEqual(before);
    expect(existsSync(run.tasks.merged?.path ?? '')).toBe(true);

    const orphan = await cleanCommand({ cwd: r.dir, run: RUN, force: true }, captureIO()).catch((e: unknown) => e);
    expect((orphan as UserError).message).toBe(`ccwave has no journal of run ${RUN}`);
    expect(branches(r, 'refs/')).toEqual(before);
    const error = await cleanCommand({ cwd: r.dir, run: 'nope' }, captureIO()).catch((e: unknown) => e);
    expect((error as UserError).message).toBe('there is no run nope');
  });

  it('with --run, cleans what the legible lines of a damaged journal recorded, and nothing else', async () => {
    const { r, run } = fixture;
    const journalFile = journalPath((await Repo.open(r.dir)).dataDir, RUN);
    const lines = readFileSync(journalFile, 'utf8').split('\n');
    lines[3] = '{ damaged';
    writeFileSync(journalFile, lines.join('\n'));
    r.git('branch', `ccwave/${RUN}/w1/stray`, 'main');
    let io = captureIO();
    await cleanCommand({ cwd: r.dir, force: true }, io);
    expect(io.stdout()).toContain(`Keeping run ${RUN}: its journal is unreadable`);
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/merged`)).toBe(run.tasks.merged?.tip);
    io = captureIO();
    await cleanCommand({ cwd: r.dir, run: RUN, force: true }, io);
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/merged`)).toBeUndefined();
    expect(refSha(r, `refs/ccwave/archive/${RUN}/w1/merged`)).toBe(run.tasks.merged?.tip);
    expect(existsSync(run.tasks.merged?.path ?? '')).toBe(false);
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/stray`)).toBe(r.sha('main'));
  });

  it("keeps a branch in a run's namespace that its journal never recorded, even with --force", async () => {
    const { r, run } = fixture;
    // An agent (or the user) made it: it looks like ccwave's but ccwave did not create it.
    r.git('branch', `ccwave/${RUN}/w1/stray`, run.tasks.unmerged?.tip ?? '');
    r.git('branch', `ccwave/${RUN}/mine`, 'main');
    const io = captureIO();
    expect(await cleanCommand({ cwd: r.dir, force: true }, io)).toBe(0);
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/stray`)).toBe(run.tasks.unmerged?.tip);
    expect(refSha(r, `refs/heads/ccwave/${RUN}/mine`)).toBe(r.sha('main'));
    expect(io.stdout()).toContain(`kept branch ccwave/${RUN}/w1/stray: not ccwave's (no ccwave journal records it)`);
    // What ccwave did create is cleaned as usual.
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/merged`)).toBeUndefined();
  });

  it('never removes a worktree the user locked, even with --force', async () => {
    const { r, run } = fixture;
    const locked = run.tasks.unmerged?.path ?? '';
    r.git('worktree', 'lock', '--reason', 'reviewing', locked);
    writeFileSync(path.join(locked, 'notes.txt'), 'mine\n');
    const io = captureIO();
    await cleanCommand({ cwd: r.dir, force: true }, io);
    expect(readFileSync(path.join(locked, 'notes.txt'), 'utf8')).toBe('mine\n');
    expect(refSha(r, `refs/heads/ccwave/${RUN}/w1/unmerged`)).toBe(run.tasks.unmerged?.tip);
    expect(io.stdout()).toContain(`kept worktree ${locked}: locked (git worktree lock); unlock it with \`git worktree unlock\` to clean it`);
    expect(existsSync(run.tasks.merged?.path ?? '')).toBe(false);
  });

  it("never follows a task worktree replaced by a symlink to one of the user's worktrees", async () => {
    const { r, run } = fixture;
    const mine = path.join(r.tmp, 'my-worktree');
    r.git('worktree', 'add', '--quiet', '-b', 'my-work', mine);
    writeFileSync(path.join(mine, 'wip.txt'), 'mine\n');
    const task = run.tasks.merged?.path ?? '';
    rmSync(task, { recursive: true, force: true });
    symlinkSync(mine, task);
    const io = captureIO();
    await cleanCommand({ cwd: r.dir, force: true }, io);
    expect(readFileSync(path.join(mine, 'wip.txt'), 'utf8')).toBe('mine\n');
    expect(r.git('worktree', 'list', '--porcelain')).toContain(`worktree ${mine}`);
    expect(io.stdout()).toContain(`kept worktree ${task}: its folder was replaced by a symlink or a file; left alone`);
  });

  it('holds the run lock while it changes anything, and lets it go after', async () => {
    const { r } = fixture;
    const dataDir = (await Repo.open(r.dir)).dataDir;
    const seen = path.join(r.tmp, 'seen-lock');
    // Every git command clean runs that changes refs or worktrees records who held the lock right
    // then (ccwave's git runs no hooks, so a git shim on PATH watches instead).
    const record = `cat '${path.join(dataDir, 'lock')}' >> '${seen}' 2>/dev/null || echo no-lock >> '${seen}'`;
    const bin = gitShim(r.tmp, `case "$1" in update-ref|branch|worktree) ${record}; echo >> '${seen}';; esac`);
    const savedPath = process.env.PATH;
    process.env.PATH = pathWith(bin);
    try {
      expect(await cleanCommand({ cwd: r.dir }, captureIO())).toBe(0);
    } finally {
      process.env.PATH = savedPath;
    }
    const lines = readFileSync(seen, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ command: 'ccwave clean', pid: process.pid });
    expect(existsSync(path.join(dataDir, 'lock'))).toBe(false);
  });

  it('keeps a ccwave branch the user has checked out in their own checkout', async () => {
    const { r, run } = fixture;
    rmSync(run.integration.path, { recursive: true, force: true });
    r.git('worktree', 'prune');
    r.git('checkout', '--quiet', run.integration.branch);
    const io = captureIO();
    await cleanCommand({ cwd: r.dir }, io);
    expect(io.stdout()).toContain(`kept branch ${run.integration.branch}: checked out in ${r.dir}`);
    expect(r.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe(run.integration.branch);
  });

  it('leaves alone a worktree the user made on a ccwave branch', async () => {
    const { r, run } = fixture;
    const review = path.join(r.tmp, 'review');
    r.git('worktree', 'add', '--quiet', '-b', `ccwave/${RUN}/w1/mine`, review, run.tasks.unmerged?.tip ?? '');
    const io = captureIO();
    await cleanCommand({ cwd: r.dir, force: true }, io);
    expect(existsSync(review)).toBe(true);
    expect(io.stdout()).toContain(`kept branch ccwave/${RUN}/w1/mine: not ccwave's (no ccwave journal records it)`);
  });
});

describe('ccwave clean', () => {
  it('keeps task branches whose commits are on a kept integration branch only', async () => {
    repo = makeRepo();
    const run = await startRun(repo, RUN, [{ id: 'a', files: { 'a.txt': 'a\n' } }]);
    await run.merge('a');
    run.finish();
    const io = captureIO();
    await cleanCommand({ cwd: repo.dir }, io);
    expect(io.stdout()).toContain(`kept branch ccwave/${RUN}/integration: 2 commits not on any of your branches`);
    expect(io.stdout()).toContain(`deleted branch ccwave/${RUN}/w1/a (all its commits stay on ccwave/${RUN}/integration, which is kept)`);
  });

  it('says when there is nothing to clean', async () => {
    repo = makeRepo();
    const io = captureIO();
    expect(await cleanCommand({ cwd: repo.dir }, io)).toBe(0);
    expect(io.stdout()).toBe('Nothing to clean.\n');
  });
});
