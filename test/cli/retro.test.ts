import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { retroCommand } from '../../src/cli/actions/retro.js';
import { runCli } from '../../src/cli/program.js';
import { UserError } from '../../src/errors.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';
import { captureIO, startRun } from './run-fixture.js';

const RUN = '20261123-144501-ab12';

const PLAN_FILES = {
  'WAVES.md': '# Fixture plan\n\n## Wave 1\n\n- feature-001-a\n- feature-002-b\n',
  'feature-management/features/feature-001-a/PROMPT.md': '# Feature: A\n\n## Acceptance Criteria\n- [ ] `a.txt` says hello\n',
  'feature-management/features/feature-002-b/PROMPT.md': '# Feature: B\n\n## Acceptance Criteria\n- [ ] `b.txt` exists\n- [x] Nothing else changes\n',
};

const RETRO = 'waves/retros/fixture-plan-wave-1.md';

function retroFile(r: TestRepo): string {
  return path.join(r.dir, RETRO);
}

function rejection(promise: Promise<unknown>): Promise<UserError> {
  return promise.then(
    () => expect.unreachable('expected a UserError'),
    (error: unknown) => {
      expect(error).toBeInstanceOf(UserError);
      return error as UserError;
    },
  );
}

describe('ccwave retro on a finished run with its plan', () => {
  // Read-mostly tests share one repository; the one that writes only writes in the run folder.
  let r: TestRepo;
  let head: string;
  beforeAll(async () => {
    r = makeRepo();
    r.commit(PLAN_FILES, 'plan');
    const run = await startRun(r, RUN, [
      { id: 'feature-001-a', files: { 'a.txt': 'hello\n' } },
      { id: 'feature-002-b', files: { 'b.txt': 'b\n' } },
    ]);
    await run.merge('feature-001-a');
    await run.merge('feature-002-b');
    run.finish();
    head = r.sha('HEAD');
  });
  afterAll(() => r.cleanup());

  it('prints the retrospective with the acceptance criteria', async () => {
    const io = captureIO();
    expect(await retroCommand({ cwd: r.dir, stdout: true }, io)).toBe(0);
    const lines = io.stdout().split('\n');
    expect(lines[0]).toBe('# Wave 1 retrospective');
    expect(lines).toContainEqual(expect.stringMatching(/^\| `feature-001-a` \| done \| \d+s \| 1 \| merged \| — \|$/));
    expect(lines).toContain('### `feature-001-a`: Task feature-001-a');
    expect(lines).toContain('- [ ] `a.txt` says hello');
    expect(lines).toContain('- [x] Nothing else changes');
    expect(lines).toContain('- Changes: 1 file changed, 1 insertion(+), 0 deletions(-)');
    expect(io.stderr()).toBe('');
    expect(existsSync(retroFile(r))).toBe(false);
  });

  it("writes it into the plan's retro folder, commits nothing, and prints the path", async () => {
    const printed = captureIO();
    await retroCommand({ cwd: r.dir, stdout: true, wave: 1, run: RUN }, printed);
    const io = captureIO();
    expect(await retroCommand({ cwd: r.dir }, io)).toBe(0);
    expect(io.stdout()).toBe(`${retroFile(r)}\n`);
    expect(readFileSync(retroFile(r), 'utf8')).toBe(printed.stdout());
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe(`?? ${RETRO}`);
    expect(r.sha('HEAD')).toBe(head);
    // Again: the same text is left as it is.
    const again = captureIO();
    expect(await retroCommand({ cwd: r.dir }, again)).toBe(0);
    expect(again.stdout()).toBe(`${retroFile(r)} (unchanged)\n`);
    rmSync(path.join(r.dir, 'waves'), { recursive: true });
  });

  it('names the known runs when asked for an unknown one', async () => {
    const error = await rejection(retroCommand({ cwd: r.dir, run: '20990101-000000-beef' }, captureIO()));
    expect(error.message).toBe('there is no run 20990101-000000-beef');
    expect(error.hint).toBe(`known runs: ${RUN}`);
  });

  it('refuses a wave the run does not have', async () => {
    const error = await rejection(retroCommand({ cwd: r.dir, wave: 2 }, captureIO()));
    expect(error.message).toBe(`run ${RUN} has no wave 2`);
    expect(error.hint).toBe('its waves are 1 to 1');
  });

  it('parses its options through the command line', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const writeErr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['node', 'ccwave', 'retro', '--wave', '1', '--stdout', '-C', r.dir])).toBe(0);
      expect(String(write.mock.calls[0]?.[0])).toMatch(/^# Wave 1 retrospective\n/);
      expect(await runCli(['node', 'ccwave', 'retro', '--wave', 'first', '-C', r.dir])).toBe(2);
    } finally {
      write.mockRestore();
      writeErr.mockRestore();
      process.exitCode = undefined;
    }
  });
});

describe('ccwave retro without a plan or a finished wave', () => {
  let r: TestRepo;
  beforeAll(() => {
    r = makeRepo();
  });
  afterAll(() => r.cleanup());

  it('says there are no runs', async () => {
    const error = await rejection(retroCommand({ cwd: r.dir }, captureIO()));
    expect(error.message).toBe('there are no ccwave runs in this repository');
  });

  it('renders a running wave on request, without criteria, and says why', async () => {
    const run = await startRun(r, RUN, [{ id: 'a', files: { 'a.txt': 'a\n' } }]);
    const error = await rejection(retroCommand({ cwd: r.dir }, captureIO()));
    expect(error.message).toBe(`no wave of run ${RUN} has finished yet`);

    const io = captureIO();
    expect(await retroCommand({ cwd: r.dir, wave: 1, stdout: true }, io)).toBe(0);
    expect(io.stderr()).toMatch(/^note: the plan .*WAVES\.md no longer exists; the retrospectives show no acceptance criteria\n$/);
    expect(io.stdout()).toContain('- Finished: not yet (the wave is running; this retrospective is partial)');
    expect(io.stdout()).toContain('_Not shown: the plan could not be read when this retrospective was made._');
    run.journal.close();
  });
});

describe('ccwave retro never overwrites what git does not have', () => {
  let r: TestRepo;
  beforeAll(async () => {
    r = makeRepo();
    r.commit({ ...PLAN_FILES, [RETRO]: 'the retrospective as committed\n' }, 'plan');
    const run = await startRun(r, RUN, [{ id: 'feature-001-a', files: { 'a.txt': 'hello\n' } }]);
    await run.merge('feature-001-a');
    run.finish();
  });
  afterAll(() => r.cleanup());

  it('overwrites a committed retrospective git holds, refuses one with edits, and writes through no symlink', async () => {
    expect(await retroCommand({ cwd: r.dir }, captureIO())).toBe(0);
    expect(readFileSync(retroFile(r), 'utf8')).toMatch(/^# Wave 1 retrospective\n/);

    writeFileSync(retroFile(r), 'my own notes\n');
    const edited = await rejection(retroCommand({ cwd: r.dir }, captureIO()));
    expect(edited.message).toBe(`not writing the retrospective: ${retroFile(r)}: it has changes git does not have; commit or move them, or use --stdout`);
    expect(readFileSync(retroFile(r), 'utf8')).toBe('my own notes\n');

    const outside = path.join(r.dir, '..', 'outside');
    mkdirSync(outside, { recursive: true });
    rmSync(path.join(r.dir, 'waves'), { recursive: true });
    symlinkSync(outside, path.join(r.dir, 'waves'));
    const linked = await rejection(retroCommand({ cwd: r.dir }, captureIO()));
    expect(linked.message).toContain('waves is a symlink; nothing is written through one');
    expect(existsSync(path.join(outside, 'retros'))).toBe(false);
  });
});
