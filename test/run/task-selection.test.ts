import { describe, expect, it } from 'vitest';
import type { NewJournalEvent, RunState } from '../../src/journal/index.js';
import { tasksNotMerged } from '../../src/run/task-selection.js';
import { BASE, journal, runStarted, sha, stateOf } from '../ui/helpers/journal.js';

type Outcome = 'merged' | 'failed' | 'conflict';

/** A run of tasks `outcomes` (one wave), finished unless `unfinished`, of only those tasks when `only`. */
function run(runId: string, outcomes: Record<string, Outcome>, options: { only?: boolean; unfinished?: boolean } = {}): { runId: string; state: RunState } {
  const ids = Object.keys(outcomes);
  const started = runStarted([ids.map((id) => ({ id, title: id }))]) as Extract<NewJournalEvent, { type: 'run-started' }>;
  const events: Array<[string, NewJournalEvent]> = [
    ['09:00:00', { ...started, runId, ...(options.only ? { selection: { tasks: ids } } : {}) }],
    ['09:00:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
  ];
  for (const [id, outcome] of Object.entries(outcomes)) {
    if (outcome === 'failed') {
      events.push(['09:01:00', { type: 'task-finished', task: id, status: 'failed', commits: 0 }]);
      continue;
    }
    events.push(['09:01:00', { type: 'task-finished', task: id, status: 'done', tipSha: sha('1'), commits: 1 }]);
    events.push(
      outcome === 'merged'
        ? ['09:02:00', { type: 'merge-done', task: id, tip: sha('1'), result: 'merged', integrationSha: sha('2') }]
        : ['09:02:00', { type: 'merge-skipped', task: id, tip: sha('1'), result: 'conflict', conflictedPaths: ['x'] }],
    );
  }
  events.push(['09:03:00', { type: 'wave-finished', wave: 1, integrationSha: sha('2') }]);
  if (!options.unfinished) events.push(['09:03:01', { type: 'run-finished', exitCode: 1 }]);
  return { runId, state: stateOf(journal(...events)) };
}

describe('tasksNotMerged', () => {
  it.each([
    { name: 'no run finished', runs: [run('r1', { a: 'failed' }, { unfinished: true })], expected: undefined },
    { name: 'a full run: its failures and conflicts', runs: [run('r1', { a: 'merged', b: 'failed', c: 'conflict' })], expected: { rerunOf: 'r1', tasks: ['b', 'c'] } },
    {
      name: 'a rerun of one task: the earlier run still owes the other',
      runs: [run('r2', { b: 'merged' }, { only: true }), run('r1', { a: 'merged', b: 'failed', c: 'conflict' })],
      expected: { rerunOf: 'r2', tasks: ['c'] },
    },
    {
      name: 'the newest outcome of a task wins, and runs before the last full run do not count',
      runs: [run('r3', { c: 'failed' }, { only: true }), run('r2', { a: 'merged', b: 'merged', c: 'merged' }), run('r1', { d: 'failed' })],
      expected: { rerunOf: 'r3', tasks: ['c'] },
    },
    {
      name: 'an unfinished run left with --fresh decides nothing',
      runs: [run('r2', { a: 'merged', b: 'merged' }, { unfinished: true }), run('r1', { a: 'merged', b: 'failed' })],
      expected: { rerunOf: 'r1', tasks: ['b'] },
    },
    { name: 'everything merged', runs: [run('r1', { a: 'merged' })], expected: { rerunOf: 'r1', tasks: [] } },
  ])('$name', ({ runs, expected }) => {
    const owed = tasksNotMerged(runs);
    expect(owed && { rerunOf: owed.rerunOf, tasks: owed.tasks }).toEqual(expected);
  });
});
