import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Repo } from '../../src/git/index.js';
import { Journal, initialRunState } from '../../src/journal/index.js';
import { landBase } from '../../src/merge/land.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

describe('landing a tip that never passed the tests', () => {
  it.each([true, false])('leaves base where it is, journals no landing, and says why (base checked out: %s)', async (checkedOut) => {
    const r = makeRepo();
    repos.push(r);
    r.git('branch', 'result');
    r.git('worktree', 'add', '--quiet', path.join(r.tmp, 'work'), 'result');
    r.commit({ 'feature.txt': 'done\n' }, 'the wave', path.join(r.tmp, 'work'));
    if (!checkedOut) r.git('switch', '--quiet', '-c', 'elsewhere');
    const repo = await Repo.open(r.dir);
    const recorder = new RunRecorder(Journal.create(repo.dataDir, '20261202-040000-abcd'), initialRunState());
    const before = r.sha('main');
    const outcome = await landBase(repo, recorder, 'main', 'result', { untested: "the tests failed on the wave's start" });
    expect(outcome).toEqual({
      landed: false,
      why: "the tests failed on the wave's start",
      command: checkedOut ? `git -C ${r.dir} merge --ff-only result` : 'git switch main && git merge --ff-only result',
    });
    expect(r.sha('main')).toBe(before);
    expect(recorder.state.land).toBeUndefined();
    expect(r.git('status', '--porcelain')).toBe('');
  });
});
