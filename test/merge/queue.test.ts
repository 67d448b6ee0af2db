import { afterEach, describe, expect, it } from 'vitest';
import type { Repo } from '../../src/git/index.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { runMergeQueue, type QueueContext } from '../../src/merge/queue.js';
import { git } from '../helpers/git.js';
import type { TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';
import { finishedWave } from './finished-wave.js';

const RUN_ID = '20261123-150000-abcd';
/** Fails while any file named bad-*.txt is in the tree: a branch "breaks the tests" by adding one. */
const TEST_COMMAND = 'test -z "$(ls bad-*.txt 2>/dev/null)"';

interface Fixture {
  r: TestRepo;
  repo: Repo;
  recorder: RunRecorder;
  integration: { branch: string; worktree: string };
  tasks: Record<string, { path: string; branch: string; tip: string }>;
  context(settings: Partial<QueueContext['settings']['merge']> & { test?: string; testRetries?: number }, extra?: Partial<QueueContext>): QueueContext;
}

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

async function fixture(tasks: Array<{ id: string; files?: Record<string, string> }>): Promise<Fixture> {
  const { r, repo, recorder, integration, tasks: created } = await finishedWave(RUN_ID, tasks);
  repos.push(r);
  const fx: Fixture = {
    r,
    repo,
    recorder,
    integration,
    tasks: created,
    context: (settings, extra = {}) => ({
      repo,
      recorder,
      runId: RUN_ID,
      integration: fx.integration,
      settings: {
        test: settings.test,
        merge: { gate: settings.gate ?? 'each', onConflict: settings.onConflict ?? 'skip' },
        ...(settings.testRetries !== undefined ? { testRetries: settings.testRetries } : {}),
      },
      logDir: tempDir('ccwave-logs-'),
      ...extra,
    }),
  };
  return fx;
}

const wave = (fx: Fixture) => fx.recorder.state.waves[0]!;
const mergeStatus = (fx: Fixture) => Object.fromEntries(Object.values(fx.recorder.state.tasks).map((t) => [t.id, t.merge?.status]));
/** Task ids of the merge commits on the integration branch, oldest first, read from their trailers. */
const mergedTasks = (fx: Fixture) => fx.r.git('log', '--merges', '--reverse', '--format=%(trailers:key=Ccwave-Task,valueonly)', fx.integration.branch).split('\n').filter(Boolean);

describe('the merge queue', () => {
  it('merges clean branches --no-ff in plan order, with trailers, and moves only the integration branch', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'a.txt': 'a\n' } },
      { id: 'b', files: { 'b.txt': 'b\n' } },
      { id: 'c', files: { 'c.txt': 'c\n' } },
    ]);
    const mainBefore = fx.r.sha('main');
    const result = await runMergeQueue(fx.context({}), wave(fx));
    expect(mergedTasks(fx)).toEqual(['a', 'b', 'c']);
    expect(result.tip).toBe(fx.r.sha(fx.integration.branch));
    expect(mergeStatus(fx)).toEqual({ a: 'merged', b: 'merged', c: 'merged' });
    expect(fx.r.git('show', '-s', '--format=%P', result.tip).split(' ')).toHaveLength(2);
    expect(fx.r.git('log', '-1', '--format=%(trailers:key=Ccwave-Tip,valueonly)', result.tip).trim()).toBe(fx.tasks.c!.tip);
    expect(fx.r.sha('main')).toBe(mainBefore);
    expect(fx.r.git('status', '--porcelain')).toBe('');
  });

  it('never merges twice: a second pass records nothing new, and a tip already in the branch is already-merged', async () => {
    const fx = await fixture([{ id: 'a', files: { 'a.txt': 'a\n' } }]);
    await runMergeQueue(fx.context({}), wave(fx));
    const tip = fx.r.sha(fx.integration.branch);
    await runMergeQueue(fx.context({}), wave(fx));
    expect(fx.r.sha(fx.integration.branch)).toBe(tip);
    // As after a crash between the ref move and its journal entry: the queue must find the merge in git.
    fx.recorder.record({ type: 'merge-intent', task: 'a', tip: fx.tasks.a!.tip, into: tip });
    await runMergeQueue(fx.context({}), wave(fx));
    expect(fx.r.sha(fx.integration.branch)).toBe(tip);
    expect(fx.recorder.state.tasks.a!.merge).toMatchObject({ status: 'already-merged', mergeSha: tip });
    expect(mergedTasks(fx)).toEqual(['a']);
  });

  it('records empty tasks: no commits, or changes the integration branch already has', async () => {
    const fx = await fixture([{ id: 'none' }, { id: 'same', files: { 'x.txt': 'x\n' } }, { id: 'again', files: { 'x.txt': 'x\n' } }]);
    await runMergeQueue(fx.context({}), wave(fx));
    expect(mergeStatus(fx)).toEqual({ none: 'empty', same: 'merged', again: 'empty' });
  });

  it('sets a conflict aside and merges the rest (skip)', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'shared.txt': 'from a\n' } },
      { id: 'b', files: { 'shared.txt': 'from b\n' } },
      { id: 'c', files: { 'c.txt': 'c\n' } },
    ]);
    await runMergeQueue(fx.context({ onConflict: 'skip' }), wave(fx));
    expect(mergedTasks(fx)).toEqual(['a', 'c']);
    expect(fx.recorder.state.tasks.b!.merge).toMatchObject({ status: 'conflict', conflictedPaths: ['shared.txt'], reason: 'conflicted: skipped' });
  });

  it('stops the queue at a conflict (stop)', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'shared.txt': 'from a\n' } },
      { id: 'b', files: { 'shared.txt': 'from b\n' } },
    ]);
    const result = await runMergeQueue(fx.context({ onConflict: 'stop' }), wave(fx));
    expect(result.stoppedBy).toEqual({ task: 'b', paths: ['shared.txt'] });
  });

  it('hands a conflict back for resolution and merges the resolved tip (agent)', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'shared.txt': 'from a\n' } },
      { id: 'b', files: { 'shared.txt': 'from b\n' } },
    ]);
    const requests: unknown[] = [];
    const context = fx.context(
      { onConflict: 'agent' },
      {
        // What the task's agent does: merge the integration tip into its branch and resolve.
        resolveConflict: async (task, request) => {
          requests.push({ task: task.id, ...request });
          const worktree = fx.tasks[task.id]!.path;
          try {
            git(worktree, 'merge', '--no-edit', request.integrationTip);
          } catch {
            // conflicted, as expected
          }
          return fx.r.commit({ 'shared.txt': 'from a\nfrom b\n' }, 'resolve', worktree);
        },
      },
    );
    await runMergeQueue(context, wave(fx));
    expect(requests).toEqual([{ task: 'b', integrationTip: expect.any(String), paths: ['shared.txt'], overlapping: ['a'] }]);
    expect(mergedTasks(fx)).toEqual(['a', 'b']);
    expect(fx.r.git('show', `${fx.integration.branch}:shared.txt`)).toBe('from a\nfrom b');
  });

  it('gives up after two rounds of unresolved conflicts (agent)', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'shared.txt': 'from a\n' } },
      { id: 'b', files: { 'shared.txt': 'from b\n' } },
    ]);
    let rounds = 0;
    const context = fx.context({ onConflict: 'agent' }, { resolveConflict: async (task) => (rounds++, fx.r.commit({ 'shared.txt': `still b ${rounds}\n` }, 'try again', fx.tasks[task.id]!.path)) });
    await runMergeQueue(context, wave(fx));
    expect(rounds).toBe(2);
    expect(fx.recorder.state.tasks.b!.merge).toMatchObject({ status: 'conflict', reason: 'conflicted: needs attention' });
  });

  it('tests each merge and drops the one that breaks the tests (each)', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'a.txt': 'a\n' } },
      { id: 'b', files: { 'bad-b.txt': 'b\n' } },
      { id: 'c', files: { 'c.txt': 'c\n' } },
    ]);
    const result = await runMergeQueue(fx.context({ test: TEST_COMMAND, gate: 'each', testRetries: 0 }), wave(fx));
    expect(mergedTasks(fx)).toEqual(['a', 'c']);
    expect(mergeStatus(fx)).toEqual({ a: 'merged', b: 'tests-failed', c: 'merged' });
    // The base once, then one run per candidate.
    expect(fx.recorder.state.tests).toHaveLength(4);
    expect(result.baseFailed).toBe(false);
    const last = fx.recorder.state.tests.at(-1)!;
    expect(last).toMatchObject({ sha: result.tip, passed: true });
  });

  it.each([
    [8, ['t3']],
    [8, ['t2', 't7']],
    [6, []],
  ])('batches %i candidates with bad %j and bisects with few test runs (batch)', async (n, bad) => {
    const ids = Array.from({ length: n }, (_, i) => `t${i + 1}`);
    const fx = await fixture(ids.map((id) => ({ id, files: { [bad.includes(id) ? `bad-${id}.txt` : `${id}.txt`]: `${id}\n` } })));
    const result = await runMergeQueue(fx.context({ test: TEST_COMMAND, gate: 'batch', testRetries: 0 }), wave(fx));
    expect(mergedTasks(fx)).toEqual(ids.filter((id) => !bad.includes(id)));
    for (const id of bad) expect(fx.recorder.state.tasks[id]!.merge?.status).toBe('tests-failed');
    const runs = fx.recorder.state.tests.length - 1; // less the base
    expect(runs).toBeLessThanOrEqual(1 + bad.length * (Math.log2(n) + 1));
    expect(fx.recorder.state.tests.findLast((t) => t.sha === result.tip)?.passed).toBe(true);
  });

  it('does not blame the agents when the base already fails: merges ungated, reports it', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'a.txt': 'a\n' } },
      { id: 'b', files: { 'b.txt': 'b\n' } },
    ]);
    const result = await runMergeQueue(fx.context({ test: 'exit 1', gate: 'each' }), wave(fx));
    expect(result.baseFailed).toBe(true);
    expect(mergedTasks(fx)).toEqual(['a', 'b']);
    // The base's run and its retry (testRetries defaults to 1); then no test for the merges.
    expect(fx.recorder.state.tests.map((t) => t.attempt)).toEqual([1, 2]);
    expect(result.untested).toMatch(/^the tests failed on the wave's start [0-9a-f]{7} \(2 runs\)/);
  });
});
