import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialRunState, reduce, type NewJournalEvent } from '../../src/journal/index.js';
import { plainPresenter } from '../../src/run/presenters.js';
import { timeFormatter } from '../../src/ui/format/time.js';
import { iso, journal, runStarted, sha } from './helpers/journal.js';

afterEach(() => vi.useRealTimers());

const start = (task: string): NewJournalEvent => ({ type: 'agent-starting', task, attempt: 1, sessionId: `s-${task}`, resume: false, agent: 'claude' });
const paused = (task: string, until: string): NewJournalEvent => ({ type: 'agent-state', task, state: 'paused', reason: 'usage limit', until });

describe('the plain log of a usage-limit pause', () => {
  it('says when the journal shows the run paused, when the pause moves, and when it is over', async () => {
    vi.useFakeTimers({ now: new Date(iso('10:00:00')) });
    let out = '';
    const presenter = plainPresenter((text) => (out += text), initialRunState());
    const events = journal(
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
