import { describe, expect, it } from 'vitest';
import { replay, type JournalEvent, type NewJournalEvent } from '../../src/journal/index.js';
import { unfinishedCommands } from '../../src/journal/unfinished-commands.js';
import { journalFrom } from '../helpers/journal.js';

const SHA = '1'.repeat(40);
const group = (pid: number) => ({ pid, hostname: 'h', bootId: 'b', startTicks: 100 + pid });

function events(list: NewJournalEvent[]): JournalEvent[] {
  return journalFrom(list, new Date(Date.UTC(2026, 0, 1)));
}

describe('commands started and never seen to finish', () => {
  it('are the tests without test-finished and each setup not followed by its setup-finished', () => {
    const journal = events([
      { type: 'setup-started', task: 'a', command: 'npm ci', group: group(10) },
      { type: 'setup-started', task: 'a', command: 'npm ci', group: group(11) },
      { type: 'setup-finished', task: 'a', ok: true, exitCode: 0, durationMs: 5, outputTail: '' },
      { type: 'setup-started', task: 'b', command: 'npm ci', group: group(12) },
      { type: 'test-started', testId: 't1', tasks: [], sha: SHA, command: 'npm test', group: group(20) },
      { type: 'test-finished', testId: 't1', tasks: [], sha: SHA, passed: true, exitCode: 0, durationMs: 5, outputTail: '' },
      { type: 'test-started', testId: 't2', tasks: ['a'], sha: SHA, command: 'npm test', group: group(21) },
      // Journaled by an older ccwave: no group, nothing to end.
      { type: 'test-started', testId: 't3', tasks: [], sha: SHA, command: 'npm test' },
    ]);
    expect(unfinishedCommands(journal).map((c) => `${c.kind} ${c.task ?? '-'} ${c.group.pid}`)).toEqual(['setup a 10', 'setup b 12', 'test - 21']);
  });

  it('a test cut short by a stop is "interrupted", not running, once the run stops or resumes', () => {
    const started: NewJournalEvent = { type: 'test-started', testId: 't1', tasks: [], sha: SHA, command: 'npm test', group: group(20) };
    expect(replay(events([started])).tests[0]!.interrupted).toBeUndefined();
    expect(replay(events([started, { type: 'run-interrupted', reason: 'received SIGINT' }])).tests[0]!.interrupted).toBe(true);
    // After a crash there is no run-interrupted: the resume says it.
    expect(replay(events([started, { type: 'run-resumed', pid: 1, command: 'ccwave run' }])).tests[0]!.interrupted).toBe(true);
    const finished = replay(
      events([started, { type: 'test-finished', testId: 't1', tasks: [], sha: SHA, passed: false, exitCode: 1, durationMs: 5, outputTail: '' }, { type: 'run-interrupted', reason: 'x' }]),
    );
    expect(finished.tests[0]!.interrupted).toBeUndefined();
  });
});
