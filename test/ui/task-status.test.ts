import { describe, expect, it } from 'vitest';
import type { NewJournalEvent } from '../../src/journal/index.js';
import { describeTask, type TaskKind } from '../../src/ui/format/task-status.js';
import { timeFormatter } from '../../src/ui/format/time.js';
import { iso, journal, runStarted, sha, stateOf } from './helpers/journal.js';

const id = 'feature-001';
const hm = timeFormatter('UTC').hourMinute;
const started: NewJournalEvent = { type: 'agent-starting', task: id, attempt: 1, sessionId: 's', resume: false, agent: 'claude' };
const done: NewJournalEvent = { type: 'task-finished', task: id, status: 'done', tipSha: sha('1'), commits: 2 };
const merging: NewJournalEvent = { type: 'merge-intent', task: id, tip: sha('1'), into: sha('2') };

const cases: Array<[string, NewJournalEvent[], TaskKind, string]> = [
  ['pending', [], 'pending', 'pending'],
  ['setup', [{ type: 'setup-started', task: id, command: 'npm ci' }], 'preparing', 'setup'],
  ['starting', [started], 'starting', 'starting'],
  ['working', [started, { type: 'agent-state', task: id, state: 'working' }], 'working', 'working'],
  ['waiting', [started, { type: 'agent-state', task: id, state: 'waiting', reason: 'trust-dialog' }], 'waiting', 'waiting: trust-dialog'],
  ['idle after an API error', [started, { type: 'agent-state', task: id, state: 'idle', reason: 'api-error' }], 'idle', 'idle: api-error'],
  ['paused', [started, { type: 'agent-state', task: id, state: 'paused', until: iso('15:00:00'), reason: 'usage limit' }], 'paused', 'paused until 15:00 (usage limit)'],
  ['done', [started, done], 'done', 'done'],
  ['merging', [started, done, merging], 'merging', 'merging'],
  [
    'testing',
    [
      started,
      done,
      merging,
      { type: 'merge-done', task: id, tip: sha('1'), result: 'merged', mergeSha: sha('3'), integrationSha: sha('3') },
      { type: 'test-started', testId: 't', tasks: [id], sha: sha('3'), command: 'npm test' },
    ],
    'testing',
    'merged, testing',
  ],
  ['merged', [started, done, merging, { type: 'merge-done', task: id, tip: sha('1'), result: 'merged', mergeSha: sha('3'), integrationSha: sha('3') }], 'merged', 'merged'],
  ['already merged', [started, done, { type: 'merge-done', task: id, tip: sha('1'), result: 'already-merged', integrationSha: sha('3') }], 'merged', 'merged (earlier)'],
  ['empty', [started, { ...done, commits: 0 }, { type: 'merge-skipped', task: id, result: 'empty' }], 'empty', 'done: no commits'],
  ['conflict', [started, done, { type: 'merge-skipped', task: id, result: 'conflict', conflictedPaths: ['a.ts', 'b.ts'] }], 'conflict', 'conflict: a.ts, b.ts'],
  ['tests failed', [started, done, { type: 'merge-skipped', task: id, result: 'tests-failed', reason: 'bisected to this task' }], 'tests-failed', 'tests failed: bisected to this task'],
  ['failed', [started, { type: 'task-finished', task: id, status: 'failed', reason: 'agent exited with code 1\nstack…', commits: 0 }], 'failed', 'failed: agent exited with code 1'],
  ['timed out', [started, { type: 'task-finished', task: id, status: 'timeout', reason: 'wall-clock timeout (2h)', commits: 0 }], 'timeout', 'failed: wall-clock timeout (2h)'],
  ['cancelled', [started, { type: 'task-finished', task: id, status: 'cancelled', commits: 0 }], 'cancelled', 'cancelled'],
  ['skipped', [{ type: 'task-finished', task: id, status: 'skipped', reason: 'depends on a failed task', commits: 0 }], 'skipped', 'skipped: depends on a failed task'],
];

describe('describeTask', () => {
  it.each(cases)('%s', (_, events, kind, label) => {
    const state = stateOf(journal(['09:00:00', runStarted([[{ id, title: 'T' }]])], ...events.map((e): [string, NewJournalEvent] => ['09:01:00', e])));
    const task = state.tasks[id];
    if (!task) throw new Error('task missing');
    expect(describeTask(task, hm)).toEqual({ kind, label });
  });
});
