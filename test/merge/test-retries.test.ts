import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testVerdictOf } from '../../src/journal/test-verdicts.js';
import { runMergeQueue, type QueueContext } from '../../src/merge/queue.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { unfinishedTasks } from '../../src/run/exit-code.js';
import type { TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';
import { finishedWave } from './finished-wave.js';

const RUN_ID = '20261202-020000-abcd';

/**
 * Fails the first run on each commit and passes every later one, keeping its count in a folder
 * outside the worktree (`$1`): a test that is flaky, or that needs a warm cache. With a `bad-*`
 * file in the tree it fails every time: a real failure.
 */
const FLAKY_ONCE = ['sha=$(git rev-parse HEAD)', 'test -z "$(ls bad-*.txt 2>/dev/null)" || exit 1', 'if [ -e "$STATE/$sha" ]; then exit 0; fi', 'touch "$STATE/$sha"', 'echo FLAKY; exit 1'].join('\n');

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.cleanup();
});

async function fixture(tasks: Array<{ id: string; files: Record<string, string> }>) {
  const { r, repo, recorder, base, integration } = await finishedWave(RUN_ID, tasks);
  repos.push(r);
  const state = mkdtempSync(path.join(r.tmp, 'state-'));
  const context = (settings: Partial<QueueContext['settings']> & Pick<QueueContext['settings'], 'test'>): QueueContext => ({
    repo,
    recorder,
    runId: RUN_ID,
    integration,
    settings: { merge: { gate: 'each', onConflict: 'skip' }, ...settings, test: `STATE=${state}\n${settings.test}` },
    logDir: tempDir('ccwave-logs-'),
  });
  return { r, recorder, base, context, wave: () => recorder.state.waves[0]! };
}

const statuses = (recorder: RunRecorder) => Object.fromEntries(Object.values(recorder.state.tasks).map((t) => [t.id, t.merge?.status]));

describe('test retries', () => {
  it('believes a failing base only after its retries: a base that passes on a retry keeps the gate on', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'a.txt': 'a\n' } },
      { id: 'b', files: { 'bad-b.txt': 'b\n' } },
    ]);
    const result = await runMergeQueue(fx.context({ test: FLAKY_ONCE, testRetries: 1 }), fx.wave());
    expect(result.baseFailed).toBe(false);
    expect(result.untested).toBeUndefined();
    // The gate stayed on: the breaking task was caught, not merged untested.
    expect(statuses(fx.recorder)).toEqual({ a: 'merged', b: 'tests-failed' });
    const baseRuns = fx.recorder.state.tests.filter((t) => t.sha === fx.base);
    expect(baseRuns.map((t) => [t.attempt, t.passed])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(testVerdictOf(fx.recorder.state.tests, fx.base)).toBe('passed');
    // Nor is the merged task called unverified for the failed first run.
    fx.recorder.record({ type: 'wave-finished', wave: 1, integrationSha: result.tip });
    expect(unfinishedTasks(fx.recorder.state).map(({ task, why }) => [task.id, why])).toEqual([['b', 'the tests failed with this branch merged']]);
  });

  it.each(['each', 'batch'] as const)('blames a task only for a confirmed failure: a merge that passes on a retry is merged (%s)', async (gate) => {
    const fx = await fixture(['a', 'b', 'c', 'd'].map((id) => ({ id, files: { [id === 'c' ? 'bad-c.txt' : `${id}.txt`]: `${id}\n` } })));
    const result = await runMergeQueue(fx.context({ test: FLAKY_ONCE, testRetries: 1, merge: { gate, onConflict: 'skip' } }), fx.wave());
    expect(statuses(fx.recorder)).toEqual({ a: 'merged', b: 'merged', c: 'tests-failed', d: 'merged' });
    // The tip kept passed; every failure that counted was seen twice on its commit.
    expect(testVerdictOf(fx.recorder.state.tests, result.tip)).toBe('passed');
    for (const test of fx.recorder.state.tests.filter((t) => t.passed === false)) {
      const runs = fx.recorder.state.tests.filter((t) => t.sha === test.sha);
      if (testVerdictOf(fx.recorder.state.tests, test.sha) === 'failed') expect(runs).toHaveLength(2);
    }
  });

  it('runs a failing test 1 + testRetries times, and with testRetries 0 believes the first failure', async () => {
    for (const retries of [0, 2]) {
      const fx = await fixture([{ id: 'a', files: { 'a.txt': 'a\n' } }]);
      const result = await runMergeQueue(fx.context({ test: 'exit 1', testRetries: retries }), fx.wave());
      expect(result.baseFailed).toBe(true);
      expect(fx.recorder.state.tests.map((t) => t.attempt)).toEqual(Array.from({ length: retries + 1 }, (_, i) => i + 1));
    }
  });

  it('merges ungated on a base that still fails, and says its tip must not land', async () => {
    const fx = await fixture([{ id: 'a', files: { 'a.txt': 'a\n' } }]);
    const result = await runMergeQueue(fx.context({ test: 'exit 3', testRetries: 1 }), fx.wave());
    expect(result.baseFailed).toBe(true);
    expect(statuses(fx.recorder)).toEqual({ a: 'merged' });
    expect(result.untested).toBe(`the tests failed on the wave's start ${fx.base.slice(0, 7)} (2 runs), so its merges went in untested`);
    fx.recorder.record({ type: 'wave-finished', wave: 1, integrationSha: result.tip });
    expect(unfinishedTasks(fx.recorder.state).map((t) => t.why)).toEqual(['unverified: the tests already failed before the merge']);
  });

  it('stops between a failing run and its retry when the run is asked to stop, leaving the verdict open', async () => {
    const fx = await fixture([{ id: 'a', files: { 'a.txt': 'a\n' } }]);
    const stop = new AbortController();
    const context = { ...fx.context({ test: 'exit 1', testRetries: 3 }), signal: stop.signal, onProgress: () => stop.abort() };
    const result = await runMergeQueue(context, fx.wave());
    expect(result.stopped).toBe(true);
    expect(fx.recorder.state.tests.length).toBeLessThanOrEqual(1);
    expect(fx.recorder.state.tasks.a!.merge).toBeUndefined();
  });

  it('takes the exit status as the verdict, whatever the output says', async () => {
    const fx = await fixture([
      { id: 'a', files: { 'a.txt': 'a\n' } },
      { id: 'b', files: { 'b.txt': 'b\n' } },
    ]);
    // Prints FAIL but exits 0 on the base and with `a`; says PASS but exits 1 once `b` is in.
    const test = 'if [ -e b.txt ]; then echo PASS; exit 1; fi; echo FAIL; exit 0';
    await runMergeQueue(fx.context({ test, testRetries: 0 }), fx.wave());
    expect(statuses(fx.recorder)).toEqual({ a: 'merged', b: 'tests-failed' });
  });
});
