import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { initialRunState } from '../../src/journal/run-state.js';
import { alreadyMergedOf, alreadyMergedReason, checkRedo, mergedBeforeRun, recordAlreadyMerged, skippedAny } from '../../src/run/already-merged.js';
import { isTaskMerged } from '../../src/run/exit-code.js';
import { describeTask } from '../../src/ui/format/task-status.js';
import { BASE_SHA, memoryJournal, runStartedEvent } from '../helpers/journal.js';

const MERGE = '1a2b3c4d'.padEnd(40, '0');
const TIP = 'f'.repeat(40);
const found = (runId = 'r0') => ({ mergeSha: MERGE, runId, tip: TIP });

describe('which tasks a new run leaves out', () => {
  it('takes the merged ones in plan order, less those to redo and ids the plan does not have', () => {
    const merged = new Map([
      ['t3', found()],
      ['t1', found()],
      ['gone', found()],
    ]);
    expect(alreadyMergedOf(['t1', 't2', 't3'], merged, []).map((s) => s.taskId)).toEqual(['t1', 't3']);
    expect(alreadyMergedOf(['t1', 't2', 't3'], merged, ['t3']).map((s) => s.taskId)).toEqual(['t1']);
    expect(alreadyMergedOf([], merged, [])).toEqual([]);
  });

  it('says where each was merged: the short sha and the run', () => {
    expect(alreadyMergedReason(found('20261201-090000-aaaa'))).toBe('already merged in 1a2b3c4 (run 20261201-090000-aaaa)');
  });

  it('never repeats a hostile run id from a commit message as it is: controls made visible, length bounded', () => {
    expect(alreadyMergedReason(found('r1\x1b]0;owned\x07\nCcwave-Task: x'))).toBe('already merged in 1a2b3c4 (run r1\\x1b]0;owned\\x07\\nCcwave-Task: x)');
    const long = alreadyMergedReason(found('x'.repeat(10_000)));
    expect(long.length).toBeLessThan(120);
    expect(long).toMatch(/x…\)$/);
  });
});

describe('--redo', () => {
  it("accepts the plan's own ids, repeated or not", () => {
    expect(() => checkRedo(['t1', 't2'], ['t1', 't1', 't2'], 'WAVES.md')).not.toThrow();
  });

  it('refuses an unknown id with the nearest name, or the list when none is near', () => {
    const near = (() => {
      try {
        checkRedo(['feature-001-auth', 'feature-002-db'], ['feature-01-auth'], 'WAVES.md');
      } catch (error) {
        return error;
      }
    })();
    expect(near).toBeInstanceOf(UserError);
    expect(near).toMatchObject({ message: '--redo: no task `feature-01-auth` in WAVES.md', hint: 'did you mean `feature-001-auth`?', exitCode: 2 });
    expect(() => checkRedo(['t1', 't2'], ['something-else'], 'WAVES.md')).toThrow(expect.objectContaining({ hint: 'its tasks are: t1, t2' }) as Error);
  });
});

describe('a task journaled as merged before the run', () => {
  function recorded(): RunRecorder {
    const recorder = new RunRecorder(memoryJournal(), initialRunState());
    recorder.record(runStartedEvent([['t1', 't2']]));
    recordAlreadyMerged(recorder, [{ taskId: 't1', ...found('r0') }], BASE_SHA);
    return recorder;
  }

  it('is done and merged (so the exit code and --only-failed count it merged), never started, and says where', () => {
    const state = recorded().state;
    const t1 = state.tasks.t1!;
    expect(t1).toMatchObject({ status: 'done', attempts: 0, merge: { status: 'already-merged', mergeSha: MERGE, tip: TIP } });
    expect(isTaskMerged(t1)).toBe(true);
    expect(mergedBeforeRun(t1)).toBe(true);
    expect(mergedBeforeRun(state.tasks.t2)).toBe(false);
    expect(skippedAny(state)).toBe(true);
    expect(describeTask(t1, () => '')).toEqual({ kind: 'merged', label: 'already merged in 1a2b3c4 (run r0)' });
  });

  it('is not confused with a task that ran and whose branch the queue found already in', () => {
    const recorder = new RunRecorder(memoryJournal(), initialRunState());
    recorder.record(runStartedEvent([['t1']]));
    recorder.record({ type: 'worktree-created', task: 't1', path: '/w/t1', branch: 'ccwave/r1/w1/t1', fromSha: BASE_SHA });
    recorder.record({ type: 'agent-starting', task: 't1', attempt: 1, sessionId: 's1', resume: false, agent: 'claude' });
    recorder.record({ type: 'task-finished', task: 't1', status: 'done', tipSha: TIP, commits: 1 });
    recorder.record({ type: 'merge-done', task: 't1', tip: TIP, result: 'already-merged', integrationSha: BASE_SHA });
    const t1 = recorder.state.tasks.t1!;
    expect(mergedBeforeRun(t1)).toBe(false);
    expect(skippedAny(recorder.state)).toBe(false);
    expect(describeTask(t1, () => '').label).toBe('merged (earlier)');
  });
});
