import { describe, expect, it } from 'vitest';
import type { NewJournalEvent } from '../../src/journal/index.js';
import { formatStatus } from '../../src/ui/status-text.js';
import { BASE_SHA, journalFrom, runStartedEvent, stateOf } from '../helpers/journal.js';

const TIP = 'a'.repeat(40);
const MERGE = 'b'.repeat(40);
const FINISHED = { kind: 'finished' as const, exitCode: 0 };

/**
 * A feature folder may be called anything, and a journal may be damaged: names every JavaScript
 * object already has must be tasks like any other, never the object's own machinery.
 */
describe.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a task called %s', (id) => {
  it('is a task of its own in the run state and in status', () => {
    const events: NewJournalEvent[] = [runStartedEvent([[id]]), { type: 'task-finished', task: id, status: 'done', reason: 'ok', tipSha: TIP, commits: 1 }];
    const state = stateOf(journalFrom(events));
    expect(Object.keys(state.tasks)).toEqual([id]);
    expect(Object.getPrototypeOf(state.tasks)).toBe(Object.prototype);
    expect(state.tasks[id]).toMatchObject({ id, status: 'done', commits: 1, wave: 1 });
    expect(formatStatus({ state, activity: FINISHED, warnings: [], now: new Date() })).toMatch(new RegExp(`✓ ${id.replace(/[_$]/g, '\\$&')}\\s+done`));
  });

  it('is not found in the state before the journal names it', () => {
    const events: NewJournalEvent[] = [
      runStartedEvent([['a']]),
      { type: 'merge-done', task: id, tip: TIP, result: 'merged', mergeSha: MERGE, integrationSha: MERGE },
      { type: 'wave-finished', wave: 1, integrationSha: BASE_SHA },
    ];
    const state = stateOf(journalFrom(events));
    expect(Object.keys(state.tasks).sort()).toEqual([id, 'a'].sort());
    expect(state.tasks[id]).toMatchObject({ id, wave: null, merge: { status: 'merged' } });
    expect(formatStatus({ state, activity: FINISHED, warnings: [], now: new Date() })).toContain('Not in the plan');
  });
});
