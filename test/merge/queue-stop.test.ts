import { afterEach, describe, expect, it } from 'vitest';
import type { TaskState } from '../../src/journal/index.js';
import { runMergeQueue, type ConflictRequest, type QueueContext } from '../../src/merge/queue.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { StopRequested } from '../../src/errors.js';
import { git } from '../helpers/git.js';
import type { TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';
import { finishedWave } from './finished-wave.js';

/**
 * A stop reaching the merge queue: it ends at a safe point with what it verified kept and
 * journaled, and a second queue over the same journal ends as one uninterrupted queue would.
 */

const RUN_ID = '20261202-020000-5a0f';
/** Fails while any file named bad-*.txt is in the tree. */
const TEST_COMMAND = 'test -z "$(ls bad-*.txt 2>/dev/null)"';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

interface Fixture {
  r: TestRepo;
  recorder: RunRecorder;
  integration: { branch: string; worktree: string };
  worktrees: Record<string, string>;
  context(extra: Partial<QueueContext> & { gate?: 'each' | 'batch'; onConflict?: 'agent' | 'skip' }): QueueContext;
}

async function fixture(tasks: Array<{ id: string; files: Record<string, string> }>): Promise<Fixture> {
  const { r, repo, recorder, integration, tasks: created } = await finishedWave(RUN_ID, tasks);
  repos.push(r);
  const worktrees = Object.fromEntries(Object.entries(created).map(([id, task]) => [id, task.path]));
  const fx: Fixture = {
    r,
    recorder,
    integration,
    worktrees,
    context: ({ gate = 'each', onConflict = 'skip', ...extra }) => ({
      repo,
      recorder,
      runId: RUN_ID,
      integration: fx.integration,
      settings: { test: TEST_COMMAND, merge: { gate, onConflict } },
      logDir: tempDir('ccwave-logs-'),
      ...extra,
    }),
  };
  return fx;
}

const wave = (fx: Fixture) => fx.recorder.state.waves[0]!;
const merged = (fx: Fixture) =>
  fx.r
    .git('log', '--merges', '--reverse', '--format=%(trailers:key=Ccwave-Task,valueonly)', fx.integration.branch)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const mergeStatus = (fx: Fixture) => Object.fromEntries(Object.values(fx.recorder.state.tasks).map((t) => [t.id, t.merge?.status]));

/** A stop requested once `count` candidate tests (not the base's) have finished. */
function stopAfterTests(fx: Fixture, count: number): AbortController {
  const stop = new AbortController();
  let seen = 0;
  fx.recorder.subscribe((event) => {
    if (event.type === 'test-finished' && event.tasks.length > 0 && ++seen === count) stop.abort('test');
  });
  return stop;
}

describe('a stop inside a gate round', () => {
  it('each: ends after the current merge and test; the merges made are kept and journaled; resume merges the rest once', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'a.txt': 'a\n' } },
      { id: 'b', files: { 'bad-b.txt': 'b\n' } },
      { id: 'c', files: { 'c.txt': 'c\n' } },
    ]);
    const stop = stopAfterTests(fx, 1);
    const first = await runMergeQueue(fx.context({ signal: stop.signal }), wave(fx));
    expect(first.stopped).toBe(true);
    expect(merged(fx)).toEqual(['a']);
    expect(mergeStatus(fx)).toEqual({ a: 'merged', b: undefined, c: undefined });
    expect(fx.r.sha(fx.integration.branch)).toBe(first.tip);

    const second = await runMergeQueue(fx.context({}), wave(fx));
    expect(second.stopped).toBeUndefined();
    expect(merged(fx)).toEqual(['a', 'c']);
    expect(mergeStatus(fx)).toEqual({ a: 'merged', b: 'tests-failed', c: 'merged' });
  });

  it('batch: keeps only the tested prefix; the candidates without a verdict are merged on resume', async () => {
    const ids = ['t1', 't2', 't3', 't4', 't5'];
    const fx = await fixture(ids.map((id) => ({ id, files: { [id === 't4' ? 'bad-t4.txt' : `${id}.txt`]: `${id}\n` } })));
    // The whole batch fails its test: the stop comes before the bisection.
    const stop = stopAfterTests(fx, 1);
    const first = await runMergeQueue(fx.context({ gate: 'batch', signal: stop.signal }), wave(fx));
    expect(first.stopped).toBe(true);
    expect(merged(fx)).toEqual([]);
    expect(Object.values(mergeStatus(fx)).filter((s) => s !== undefined && s !== 'merging')).toEqual([]);

    await runMergeQueue(fx.context({ gate: 'batch' }), wave(fx));
    expect(merged(fx)).toEqual(['t1', 't2', 't3', 't5']);
    expect(mergeStatus(fx).t4).toBe('tests-failed');
  });
});

describe('a stop during a conflict hand-back', () => {
  it('leaves the conflict unrecorded and the hand-back pending; resume hands the same request back once and merges', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'shared.txt': 'from a\n' } },
      { id: 'b', files: { 'shared.txt': 'from b\n' } },
    ]);
    const stop = new AbortController();
    const interrupted = await runMergeQueue(
      fx.context({
        onConflict: 'agent',
        signal: stop.signal,
        resolveConflict: async () => {
          stop.abort('test');
          throw new StopRequested('the hand-back');
        },
      }),
      wave(fx),
    );
    expect(interrupted.stopped).toBe(true);
    expect(merged(fx)).toEqual(['a']);
    const b = fx.recorder.state.tasks.b!;
    expect(b.merge?.status).toBe('merging');
    expect(b.handback).toMatchObject({ round: 1, pending: true, paths: ['shared.txt'], overlapping: ['a'] });

    const requests: Array<{ task: string } & ConflictRequest> = [];
    const resolve = async (task: TaskState, request: ConflictRequest): Promise<string> => {
      requests.push({ task: task.id, ...request });
      const worktree = fx.worktrees[task.id]!;
      try {
        git(worktree, 'merge', '--no-edit', request.integrationTip);
      } catch {
        // the conflict, as expected
      }
      const tip = fx.r.commit({ 'shared.txt': 'from a\nfrom b\n' }, 'resolve', worktree);
      fx.recorder.record({ type: 'task-finished', task: task.id, status: 'done', tipSha: tip, commits: 2 });
      return tip;
    };
    await runMergeQueue(fx.context({ onConflict: 'agent', resolveConflict: resolve }), wave(fx));
    const { integrationTip, paths, overlapping } = b.handback!;
    expect(requests).toEqual([{ task: 'b', integrationTip, paths, overlapping }]);
    expect(merged(fx)).toEqual(['a', 'b']);
    expect(fx.recorder.state.tasks.b!.handback?.pending).toBe(false);
    expect(fx.r.git('show', `${fx.integration.branch}:shared.txt`)).toBe('from a\nfrom b');
  });
});
