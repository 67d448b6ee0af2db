import { describe, expect, it } from 'vitest';
import type { NewJournalEvent } from '../../src/journal/index.js';
import { HEARTBEAT_MS, PlainReporter } from '../../src/ui/plain-reporter.js';
import { iso, journal, runStarted, sha } from './helpers/journal.js';
import { report } from './helpers/plain-log.js';

const quiet = { id: 'quiet', title: 'Quiet' };
const chatty = { id: 'chatty', title: 'Chatty' };

describe('the plain log during a long silence', () => {
  it('says now and then what is still running, and only when nothing else was logged', () => {
    let now = iso('09:00:00');
    let out = '';
    const reporter = new PlainReporter({ write: (t) => (out += t), timeZone: 'UTC', now: () => new Date(now) });
    const events = journal(
      ['09:00:00', runStarted([[quiet, chatty]])],
      ['09:00:01', { type: 'wave-started', wave: 1, fromSha: sha('b') }],
      ['09:00:02', { type: 'agent-starting', task: 'quiet', attempt: 1, sessionId: 's1', resume: false, agent: 'command' }],
      ['09:00:02', { type: 'agent-starting', task: 'chatty', attempt: 1, sessionId: 's2', resume: false, agent: 'claude' }],
      ['09:00:03', { type: 'agent-state', task: 'chatty', state: 'working' } satisfies NewJournalEvent],
    );
    report(reporter, events);
    const logged = out;

    now = iso('09:04:59');
    reporter.heartbeat();
    expect(out).toBe(logged);

    now = new Date(Date.parse(iso('09:00:03')) + HEARTBEAT_MS).toISOString();
    reporter.heartbeat();
    expect(out.slice(logged.length)).toBe('09:05:03 still running: quiet running 5m01s, chatty working 5m01s\n');

    // The heartbeat counts as news: the next one is a whole interval later.
    reporter.heartbeat();
    expect(out.split('\n').filter((line) => line.includes('still running'))).toHaveLength(1);

    report(
      reporter,
      journal(
        ['09:05:30', { type: 'task-finished', task: 'quiet', status: 'done', tipSha: sha('1'), commits: 1 }],
        ['09:05:31', { type: 'task-finished', task: 'chatty', status: 'done', tipSha: sha('2'), commits: 1 }],
      ),
    );
    const before = out;
    now = iso('10:00:00');
    reporter.heartbeat();
    // Nothing runs: nothing to say.
    expect(out).toBe(before);
  });
});
