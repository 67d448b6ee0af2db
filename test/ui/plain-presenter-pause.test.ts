import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialRunState, reduce, type NewJournalEvent, type RunState } from '../../src/journal/index.js';
import { mayChangePause, pausedUntil } from '../../src/journal/run-phase.js';
import { plainPresenter } from '../../src/run/presenters.js';
import { timeFormatter } from '../../src/ui/format/time.js';
import { iso, journal, runStarted, sha } from './helpers/journal.js';

afterEach(() => vi.useRealTimers());

const start = (task: string): NewJournalEvent => ({ type: 'agent-starting', task, attempt: 1, sessionId: `s-${task}`, resume: false, agent: 'claude' });
const paused = (task: string, until: string): NewJournalEvent => ({ type: 'agent-state', task, state: 'paused', reason: 'usage limit', until });
/** A run of one wave whose two tasks, a and b, have their agents at work from 09:00:02. */
const TWO_AGENTS_AT_WORK: Array<[string, NewJournalEvent]> = [
  [
    '09:00:00',
    runStarted([
      [
        { id: 'a', title: 'A' },
        { id: 'b', title: 'B' },
      ],
    ]),
  ],
  ['09:00:01', { type: 'wave-started', wave: 1, fromSha: sha('b') }],
  ['09:00:02', start('a')],
  ['09:00:02', start('b')],
];

describe('the plain log of a usage-limit pause', () => {
  it('says when the journal shows the run paused, when the pause moves, and when it is over', async () => {
    vi.useFakeTimers({ now: new Date(iso('10:00:00')) });
    let out = '';
    const presenter = plainPresenter((text) => (out += text), initialRunState());
    const events = journal(
      ...TWO_AGENTS_AT_WORK,
      ['09:10:00', paused('a', iso('11:00:00'))],
      ['09:11:00', paused('b', iso('11:00:00'))],
      ['09:12:00', paused('b', iso('11:30:00'))],
      ['11:00:30', { type: 'agent-state', task: 'a', state: 'working' }],
      ['11:30:30', { type: 'agent-state', task: 'b', state: 'working' }],
      ['11:40:00', { type: 'task-finished', task: 'a', status: 'done', tipSha: sha('1'), commits: 1 }],
    );
    let state = initialRunState();
    for (const event of events) {
      state = reduce(state, event);
      presenter.onEvent(event, state);
    }
    await presenter.close();
    const pauseLines = out.split('\n').filter((line) => /^\S+ (paused until|usage-limit pause over)/.test(line));
    // The plain log speaks the machine's time zone.
    const hm = timeFormatter(undefined).hourMinute;
    expect(pauseLines.map((line) => line.slice(line.indexOf(' ') + 1))).toEqual([
      `paused until ${hm(iso('11:00:00'))} (usage limit)`,
      `paused until ${hm(iso('11:30:00'))} (usage limit)`,
      'usage-limit pause over, continuing',
    ]);
  });
});

describe('the cost of watching for a pause', () => {
  /** A state whose task list counts how often something goes through all of it. */
  function counted(state: RunState, count: { listings: number }): RunState {
    const tasks = new Proxy(state.tasks, {
      ownKeys: (target) => {
        count.listings += 1;
        return Reflect.ownKeys(target);
      },
    });
    return { ...state, tasks };
  }

  it.each([2, 200])('does not go through all %i tasks on a merge, a test or a usage report', async (n) => {
    const ids = Array.from({ length: n }, (_, i) => `t${i}`);
    const presenter = plainPresenter(() => undefined, initialRunState());
    const count = { listings: 0 };
    let state = initialRunState();
    const events = journal(
      ['09:00:00', runStarted([ids.map((id) => ({ id, title: id }))])],
      ...ids.flatMap((task): Array<[string, NewJournalEvent]> => [
        ['09:00:01', { type: 'merge-intent', task, tip: sha('1'), into: sha('2') }],
        ['09:00:02', { type: 'test-started', testId: `x-${task}`, wave: 1, tasks: [task], sha: sha('3'), command: 'npm test' }],
        ['09:00:03', { type: 'test-finished', testId: `x-${task}`, wave: 1, tasks: [task], sha: sha('3'), passed: true, exitCode: 0, durationMs: 1, outputTail: '' }],
        ['09:00:04', { type: 'merge-done', task, result: 'merged', tip: sha('1'), mergeSha: sha('3'), integrationSha: sha('3') }],
      ]),
    );
    for (const event of events) {
      state = reduce(state, event);
      presenter.onEvent(event, event.type === 'run-started' ? state : counted(state, count));
    }
    await presenter.close();
    expect(count.listings).toBe(0);
  });

  it('skips only events after which the pause cannot have changed', () => {
    const events = journal(
      ...TWO_AGENTS_AT_WORK,
      ['09:10:00', paused('a', iso('11:00:00'))],
      ['09:10:01', { type: 'agent-usage', task: 'a', attempt: 1, sessionId: 's-a', usage: { tokens: { input: 1, output: 1, cacheCreation: 0, cacheRead: 0 }, costUsd: 0.1 } }],
      ['09:10:02', { type: 'agent-action', task: 'a', attempt: 1, action: 'paused' }],
      ['09:11:00', paused('b', iso('11:30:00'))],
      ['09:12:00', { type: 'run-interrupted', reason: 'SIGINT', signal: 'SIGINT' }],
      ['09:13:00', { type: 'run-resumed', pid: 1, command: 'ccwave run' }],
      ['09:13:01', start('a')],
      ['09:14:00', paused('a', iso('12:00:00'))],
      ['09:15:00', { type: 'task-finished', task: 'a', status: 'failed', commits: 0 }],
      ['09:16:00', { type: 'merge-skipped', task: 'a', result: 'empty', reason: 'nothing' }],
    );
    let state = initialRunState();
    const changed: string[] = [];
    for (const event of events) {
      const before = pausedUntil(state);
      state = reduce(state, event);
      if (!mayChangePause(event)) expect(pausedUntil(state)).toBe(before);
      else if (pausedUntil(state) !== before) changed.push(event.type);
    }
    // The journal does move the pause, so the check above is not vacuous.
    expect(changed).toEqual(['agent-state', 'agent-state', 'run-resumed', 'agent-state', 'task-finished']);
  });
});
