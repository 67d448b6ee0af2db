import { afterEach, describe, expect, it, vi } from 'vitest';
import { initialRunState } from '../../src/journal/run-state.js';
import { plainPresenter } from '../../src/run/presenters.js';
import { HEARTBEAT_MS } from '../../src/ui/plain-reporter.js';
import { iso, journal, runStarted, stateOf } from './helpers/journal.js';

afterEach(() => vi.useRealTimers());

describe('the plain presenter', () => {
  it('checks for a long silence by itself, and stops checking when closed', async () => {
    vi.useFakeTimers({ now: new Date(iso('09:00:05')) });
    let out = '';
    const presenter = plainPresenter((text) => (out += text), initialRunState());
    const events = journal(
      ['09:00:00', runStarted([[{ id: 'quiet', title: 'Quiet' }]])],
      ['09:00:01', { type: 'wave-started', wave: 1, fromSha: 'b0'.repeat(20) }],
      ['09:00:02', { type: 'agent-starting', task: 'quiet', attempt: 1, sessionId: 's', resume: false, agent: 'claude' }],
    );
    for (const event of events) presenter.onEvent(event, stateOf(events));
    const logged = out;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_MS - 10_000);
    expect(out).toBe(logged);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(out.slice(logged.length)).toMatch(/^\d\d:\d\d:\d\d still running: quiet starting 5m\d\ds\n$/);
    await presenter.close();
    const closed = out;
    await vi.advanceTimersByTimeAsync(10 * HEARTBEAT_MS);
    expect(out).toBe(closed);
  });
});
