import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addWorktree,
  archiveAndDeleteBranch,
  casUpdateRef,
  checkMerge,
  defaultWorktreeRoot,
  findMergesByTrailer,
  listArchivedRefs,
  mergeTree,
  planIntegrationWorktree,
  planTaskWorktree,
  readRef,
  RefMovedError,
  Repo,
} from '../../src/git/index.js';
import { createMergeCommit } from '../../src/merge/merge-commit.js';
import { mergeMessage, parseMergeTrailers } from '../../src/git/trailers.js';
import { git } from '../helpers/git.js';
import { makeRepo, snapshotRepo, type TestRepo } from '../helpers/repo.js';

const RUN = '20261123-144501-ab12';

interface Fixture {
  r: TestRepo;
  opened: Repo;
  integration: string;
  integrationBranch: string;
  /** Task tips, each one commit on its own branch from main: a adds a.txt; b and c change the same line. */
  tips: { a: string; b: string; c: string };
}

/** Built once (worktrees take many git commands) and restored before each test. */
let s: Fixture;
let snapshot: ReturnType<typeof snapshotRepo>;

beforeAll(async () => {
  const r = makeRepo();
  r.commit({ 'shared.txt': 'line 1\nline 2\nline 3\n' }, 'shared');
  const opened = await Repo.open(r.dir);
  const root = await defaultWorktreeRoot(opened);
  const base = r.sha('HEAD');
  const plan = await planIntegrationWorktree(opened, { root, runId: RUN, baseSha: base });
  await addWorktree(opened, plan);
  const task = async (id: string, files: Record<string, string>): Promise<string> => {
    const entry = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: id, fromSha: base }));
    return r.commit(files, `task ${id}`, entry.path);
  };
  const tips = {
    a: await task('a', { 'a.txt': 'a\n' }),
    b: await task('b', { 'shared.txt': 'line 1\nB\nline 3\n' }),
    c: await task('c', { 'shared.txt': 'line 1\nC\nline 3\n', 'c.txt': 'c\n' }),
  };
  s = { r, opened, integration: plan.path, integrationBranch: plan.branch, tips };
  snapshot = snapshotRepo(r);
});
beforeEach(() => snapshot.restore());
afterAll(() => snapshot.dispose());

describe('merge pre-checks', () => {
  it('tells clean, conflicting, already-merged and same-content tips apart', async () => {
    const a = s.tips.a;
    const b = s.tips.b;
    const c = s.tips.c;
    const into = s.r.sha('HEAD', s.integration);

    expect(await checkMerge(s.opened.git, into, a)).toMatchObject({ kind: 'clean' });
    expect(await mergeTree(s.opened.git, b, c)).toMatchObject({ clean: false, conflictedPaths: ['shared.txt'] });
    expect(await checkMerge(s.opened.git, b, c)).toMatchObject({ kind: 'conflict', conflictedPaths: ['shared.txt'] });
    expect(await checkMerge(s.opened.git, a, into)).toEqual({ kind: 'ancestor' });

    // The same change, committed separately (a cherry-pick), is already there by content.
    git(s.integration, 'cherry-pick', '-x', a);
    expect(await checkMerge(s.opened.git, s.r.sha('HEAD', s.integration), a)).toMatchObject({ kind: 'same-content' });
  });
});

describe('a merge made as the merge queue makes it', () => {
  it('has --no-ff parents and trailers, is found by trailer, and is never made twice', async () => {
    const a = s.tips.a;
    const before = s.r.sha(s.integrationBranch);
    const made = await createMergeCommit(s.opened.git, before, a, 'Merge task a: add a', { task: 'a', run: RUN, tip: a });
    expect(made).toHaveProperty('sha');
    const mergeSha = 'sha' in made ? made.sha : '';
    await casUpdateRef(s.opened.git, { ref: `refs/heads/${s.integrationBranch}`, newSha: mergeSha, oldSha: before, reason: 'merge a' });
    expect(s.r.git('rev-parse', `${mergeSha}^1`, `${mergeSha}^2`).split('\n')).toEqual([before, a]);
    expect(s.r.git('log', '-1', '--format=%(trailers:key=Ccwave-Tip,valueonly)', mergeSha).trim()).toBe(a);
    expect(s.r.sha(s.integrationBranch)).toBe(mergeSha);
    // The user's checkout did not move.
    expect(s.r.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');

    const found = await findMergesByTrailer(s.opened.git, { ref: s.integrationBranch, runId: RUN, taskId: 'a' });
    expect(found).toEqual([{ sha: mergeSha, parents: [before, a], trailers: { task: 'a', run: RUN, tip: a } }]);
    expect(await findMergesByTrailer(s.opened.git, { ref: s.integrationBranch, runId: 'other-run' })).toEqual([]);

    const again = await createMergeCommit(s.opened.git, mergeSha, a, 'again', { task: 'a', run: RUN, tip: a });
    expect(again).toEqual({ skip: 'already-merged' });
  });

  it('reports the conflicting paths and moves nothing', async () => {
    const b = s.tips.b;
    const c = s.tips.c;
    const made = await createMergeCommit(s.opened.git, b, c, 'c', { task: 'c', run: RUN, tip: c });
    expect(made).toEqual({ conflict: ['shared.txt'] });
    expect(git(s.integration, 'status', '--porcelain')).toBe('');
  });
});

describe('archiveAndDeleteBranch', () => {
  it('keeps the tip under refs/ccwave/archive before deleting the branch', async () => {
    s.r.git('branch', `ccwave/${RUN}/w1/x`);
    const sha = s.r.sha('HEAD');
    const archive = await archiveAndDeleteBranch(s.opened, `ccwave/${RUN}/w1/x`, sha);
    expect(archive).toBe(`refs/ccwave/archive/${RUN}/w1/x`);
    expect(await readRef(s.opened.git, archive)).toBe(sha);
    expect(await readRef(s.opened.git, `refs/heads/ccwave/${RUN}/w1/x`)).toBeUndefined();
    expect(await listArchivedRefs(s.opened)).toEqual([{ ref: archive, sha }]);
  });

  it('deletes nothing when the branch moved since it was read', async () => {
    const old = s.r.sha('HEAD~1');
    s.r.git('branch', `ccwave/${RUN}/w1/y`);
    await expect(archiveAndDeleteBranch(s.opened, `ccwave/${RUN}/w1/y`, old)).rejects.toBeInstanceOf(RefMovedError);
    expect(s.r.sha(`ccwave/${RUN}/w1/y`)).toBe(s.r.sha('HEAD'));
  });
});

describe('trailers', () => {
  it('round-trips and rejects values that would forge trailers', () => {
    const trailers = { task: 'feature-1', run: RUN, tip: 'a'.repeat(40) };
    const message = mergeMessage('Merge feature-1\nsecond line ignored', trailers);
    expect(message.split('\n')[0]).toBe('Merge feature-1');
    expect(parseMergeTrailers(message.split('\n\n')[1] ?? '')).toEqual(trailers);
    expect(() => mergeMessage('x', { ...trailers, task: 'a\nCcwave-Run: other' })).toThrow(/invalid task/);
  });
});
