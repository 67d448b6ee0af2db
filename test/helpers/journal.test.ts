import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, replay } from '../../src/journal/index.js';
import { BASE_SHA, journalFrom, journalOf, memoryJournal, runStartedEvent, stateOf, TEST_START, writeJournal, type TimedEvent } from './journal.js';
import { tempDir } from './temp.js';

const RUN = '20261123-140000-abcd';
const entries: TimedEvent[] = [
  [TEST_START, runStartedEvent([['a', 'b']], { runId: RUN })],
  [new Date('2026-11-23T14:00:05.000Z'), { type: 'wave-started', wave: 1, fromSha: BASE_SHA }],
  [new Date('2026-11-23T14:03:00.000Z'), { type: 'task-finished', task: 'a', status: 'failed', reason: 'exit 1', commits: 0 }],
];

describe('journal fixtures', () => {
  it('are what the real journal writes for the same events at the same times', () => {
    const dataDir = path.join(tempDir(), 'ccwave');
    writeJournal(dataDir, RUN, entries);
    const read = Journal.read(dataDir, RUN);
    expect(read.warnings).toEqual([]);
    expect(read.events).toEqual(journalOf(entries));
    expect(stateOf(journalOf(entries))).toEqual(replay(read.events));
  });

  it('are what a recorder appending to the in-memory journal gets', () => {
    let now = TEST_START;
    const journal = memoryJournal(() => now);
    for (const [at, event] of entries) {
      now = at;
      journal.record(event);
    }
    expect(journal.events).toEqual(journalOf(entries));
  });

  it('refuse an event ccwave could not have written', () => {
    expect(() => journalFrom([{ type: 'wave-started', wave: 0, fromSha: 'not a sha' }])).toThrow();
  });

  it('number events from 1, a second apart unless timed', () => {
    expect(journalFrom([entries[0]![1], entries[1]![1]]).map((e) => [e.seq, e.at])).toEqual([
      [1, '2026-11-23T14:00:00.000Z'],
      [2, '2026-11-23T14:00:01.000Z'],
    ]);
  });
});
