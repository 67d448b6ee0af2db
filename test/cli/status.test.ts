import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { statusCommand } from '../../src/cli/actions/status.js';
import { UserError } from '../../src/errors.js';
import { Repo } from '../../src/git/index.js';
import { acquireLock } from '../../src/journal/index.js';
import type { StatusJson } from '../../src/journal/status-json.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';
import { captureIO, startRun } from './run-fixture.js';

const RUN = '20261123-144501-ab12';
let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

async function finishedRun(r: TestRepo): Promise<void> {
  const run = await startRun(r, RUN, [
    { id: 'feature-001-a-rather-long-task-identifier-that-needs-cutting', files: { 'a.txt': 'a\n' } },
    { id: 'b', files: { 'README.md': 'b\n' } },
    { id: 'c', files: { 'README.md': 'c\n' } },
  ]);
  await run.merge('feature-001-a-rather-long-task-identifier-that-needs-cutting');
  await run.merge('b');
  await run.merge('c');
  run.finish(1);
}

describe('ccwave status', () => {
  it('says so when there are no runs', async () => {
    repo = makeRepo();
    const io = captureIO();
    expect(await statusCommand({ cwd: repo.dir }, io)).toBe(0);
    expect(io.stdout()).toBe('No ccwave runs in this repository yet. Start one with: ccwave run WAVES.md\n');
  });

  it('tells a live run from an abandoned one', async () => {
    repo = makeRepo();
    const run = await startRun(repo, RUN, [{ id: 'a' }]);
    run.journal.close();
    let io = captureIO();
    await statusCommand({ cwd: repo.dir }, io);
    expect(io.stdout()).toContain('Stopped unexpectedly (no ccwave is running it)');
    expect(io.stdout()).toContain('Resume with: ccwave run WAVES.md');

    const lock = acquireLock((await Repo.open(repo.dir)).dataDir, { runId: RUN, command: 'ccwave run WAVES.md', releaseOnExit: false });
    try {
      io = captureIO();
      await statusCommand({ cwd: repo.dir }, io);
      expect(io.stdout()).toContain(`Live: pid ${process.pid} (ccwave run WAVES.md) since`);
    } finally {
      lock.release();
    }
  });
});

describe('ccwave status of a finished run', () => {
  // Read-only tests: they share one repository with one finished run.
  let shared: TestRepo;
  beforeAll(async () => {
    shared = makeRepo();
    await finishedRun(shared);
  });
  afterAll(() => shared.cleanup());

  it('shows a finished run, cutting nothing when it is not a terminal', async () => {
    const io = captureIO();
    expect(await statusCommand({ cwd: shared.dir }, io)).toBe(0);
    const text = io.stdout();
    expect(text).toContain(`Run ${RUN} · Fixture plan (WAVES.md)`);
    expect(text).toMatch(/Finished at .*, exit code 1/);
    expect(text).toContain('Wave 1 · finished (2 merged · 1 failed)');
    expect(text).toMatch(/● b +merged +\d+s +1 attempt/);
    expect(text).toMatch(/≠ c +conflict: README\.md/);
    expect(text).toContain('conflicts: README.md');
    expect(text).toMatch(/● feature-001-a-rather-long-task-identifier-that-needs-cutting +merged/);
    expect(text).not.toContain('…');
  });

  it('prints the run state as JSON', async () => {
    const io = captureIO();
    await statusCommand({ cwd: shared.dir, json: true, run: RUN }, io);
    const { run } = JSON.parse(io.stdout()) as StatusJson;
    expect(run!.id).toBe(RUN);
    expect(run!.activity).toEqual({ kind: 'finished', exitCode: 1 });
    expect(run!.tasks.find((t) => t.id === 'c')?.merge).toMatchObject({ status: 'conflict', conflictedPaths: ['README.md'] });
    expect(run!.tasks.find((t) => t.id === 'b')?.merge?.status).toBe('merged');
  });

  it('refuses an unknown run id and lists the known ones', async () => {
    const error = await statusCommand({ cwd: shared.dir, run: 'nope' }, captureIO()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('there is no run nope');
    expect((error as UserError).hint).toBe(`known runs: ${RUN}`);
  });
});
