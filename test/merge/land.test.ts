import { appendFileSync } from 'node:fs';
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

/** A repository where `result` is one commit ahead of `main`, as the integration branch is after a wave. */
async function setup() {
  const r = makeRepo();
  repos.push(r);
  r.git('branch', 'result');
  r.git('worktree', 'add', '--quiet', path.join(r.tmp, 'work'), 'result');
  const tip = r.commit({ 'feature.txt': 'done\n' }, 'the wave', path.join(r.tmp, 'work'));
  const repo = await Repo.open(r.dir);
  const recorder = new RunRecorder(Journal.create(repo.dataDir, '20261123-160000-abcd'), initialRunState());
  return { r, repo, recorder, tip };
}

describe('landing the integration tip on base', () => {
  it('moves base by compare-and-swap when no worktree has it checked out', async () => {
    const { r, repo, recorder, tip } = await setup();
    r.git('switch', '--quiet', '-c', 'elsewhere');
    expect(await landBase(repo, recorder, 'main', 'result')).toEqual({ landed: true, sha: tip, how: 'ref' });
    expect(r.sha('main')).toBe(tip);
    expect(r.git('status', '--porcelain')).toBe('');
  });

  it('fast-forwards a clean checkout of base, so its files follow', async () => {
    const { r, repo, recorder, tip } = await setup();
    expect(await landBase(repo, recorder, 'main', 'result')).toMatchObject({ landed: true, how: 'checkout' });
    expect(r.sha('HEAD')).toBe(tip);
    expect(r.git('show', 'HEAD:feature.txt')).toBe('done');
    expect(r.git('status', '--porcelain')).toBe('');
  });

  it('with base checked out, every command to land by hand works in that checkout: no switch to it', async () => {
    const { r, repo, recorder, tip } = await setup();
    // The branch moved past what the wave tested: only the tested tip may land, by hand.
    const later = r.commit({ 'later.txt': 'x\n' }, 'later', path.join(r.tmp, 'work'));
    const outcome = await landBase(repo, recorder, 'main', 'result', { expectedTip: tip });
    expect(outcome).toMatchObject({ landed: false, command: `git -C ${r.dir} merge --ff-only ${tip}` });
    expect(r.sha('result')).toBe(later);
  });

  it('leaves a dirty checkout alone and says how to land by hand', async () => {
    const { r, repo, recorder } = await setup();
    const before = r.sha('main');
    appendFileSync(path.join(r.dir, 'README.md'), 'mine\n');
    const outcome = await landBase(repo, recorder, 'main', 'result');
    // main is checked out right there: no `git switch` to it.
    expect(outcome).toMatchObject({ landed: false, command: `git -C ${r.dir} merge --ff-only result` });
    expect(r.sha('main')).toBe(before);
    expect(r.git('status', '--porcelain')).toBe(' M README.md');
    expect(recorder.state.land).toBeUndefined();
  });

  it('does not force a base that moved on during the run', async () => {
    const { r, repo, recorder } = await setup();
    const moved = r.commit({ 'other.txt': 'x\n' }, 'someone else');
    expect(await landBase(repo, recorder, 'main', 'result')).toMatchObject({ landed: false });
    expect(r.sha('main')).toBe(moved);
  });
});
