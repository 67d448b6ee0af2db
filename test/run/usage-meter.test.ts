import { describe, expect, it } from 'vitest';
import type { UsageReading } from '../../src/agent/session-types.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { taskUsage, type EventOf, type TokenCounts } from '../../src/journal/index.js';
import { USAGE_JOURNAL_INTERVAL_MS, UsageMeter } from '../../src/run/usage-meter.js';
import { BASE_SHA, memoryJournal, runStartedEvent, stateOf } from '../helpers/journal.js';

const SESSION = 'sess-1';

function tokens(input: number, output: number, cacheCreation = 0, cacheRead = 0): TokenCounts {
  return { input, output, cacheCreation, cacheRead };
}

/** A recorder with task t1 running its first attempt, and a clock the test moves. */
function setup() {
  let nowMs = 0;
  const journal = memoryJournal(() => new Date(Date.UTC(2026, 10, 23, 14) + nowMs));
  const recorder = new RunRecorder(journal, stateOf([]));
  recorder.record(runStartedEvent([['t1']]));
  recorder.record({ type: 'wave-started', wave: 1, fromSha: BASE_SHA });
  recorder.record({ type: 'worktree-created', task: 't1', path: '/wt/t1', branch: 'ccwave/r1/t1', fromSha: BASE_SHA });
  recorder.record({ type: 'agent-starting', task: 't1', attempt: 1, sessionId: SESSION, resume: false, agent: 'claude' });
  const timers: Array<{ at: number; fn: () => void }> = [];
  const clock = {
    now: () => nowMs,
    setTimer: (ms: number, fn: () => void) => {
      const timer = { at: nowMs + ms, fn };
      timers.push(timer);
      return () => void timers.splice(timers.indexOf(timer), 1);
    },
  };
  /** Moves the clock on, running the timers that come due. */
  const advance = (ms: number) => {
    nowMs += ms;
    for (const timer of timers.filter((t) => t.at <= nowMs)) {
      timers.splice(timers.indexOf(timer), 1);
      timer.fn();
    }
  };
  const meter = (attempt = 1) => new UsageMeter(recorder, { taskId: 't1', attempt, clock });
  const usageEvents = () => journal.events.filter((e): e is EventOf<'agent-usage'> & typeof e => e.type === 'agent-usage');
  return { recorder, meter, usageEvents, advance, timers };
}

function reading(fields: Partial<UsageReading>): UsageReading {
  return { sessionId: SESSION, firstOfLaunch: false, ...fields };
}

describe('UsageMeter', () => {
  it('writes the first reading at once, then at most one event per interval while readings change', () => {
    const { meter: make, usageEvents, advance, recorder } = setup();
    const meter = make();
    meter.reading(reading({ firstOfLaunch: true, costUsd: 0, model: 'claude-sonnet' }));
    expect(usageEvents()).toHaveLength(1);
    for (let i = 1; i <= 5; i += 1) {
      advance(1_000);
      meter.reading(reading({ tokens: tokens(100 * i, 20 * i), costUsd: 0.01 * i }));
    }
    expect(usageEvents()).toHaveLength(1);
    advance(USAGE_JOURNAL_INTERVAL_MS);
    expect(usageEvents()).toHaveLength(2);
    expect(taskUsage(recorder.state, 't1').tokens).toEqual(tokens(500, 100));
    meter.reading(reading({ tokens: tokens(600, 120), costUsd: 0.06 }));
    expect(usageEvents()).toHaveLength(2);
    advance(USAGE_JOURNAL_INTERVAL_MS);
    expect(usageEvents()).toHaveLength(3);
    expect(taskUsage(recorder.state, 't1')).toEqual({ tokens: tokens(600, 120), costUsd: 0.06 });
    expect(recorder.state.tasks.t1!.usage!.model).toBe('claude-sonnet');
  });

  it('writes the last change of a quiet spell when the interval is up, and drops its timer when written before', () => {
    const { meter: make, usageEvents, advance, recorder, timers } = setup();
    const meter = make();
    meter.reading(reading({ firstOfLaunch: true, costUsd: 0 }));
    advance(1_000);
    meter.reading(reading({ tokens: tokens(100, 20), costUsd: 0.01 }));
    expect(usageEvents()).toHaveLength(1);
    advance(USAGE_JOURNAL_INTERVAL_MS - 1_001);
    expect(usageEvents()).toHaveLength(1);
    advance(1);
    expect(usageEvents()).toHaveLength(2);
    expect(taskUsage(recorder.state, 't1')).toEqual({ tokens: tokens(100, 20), costUsd: 0.01 });
    advance(1_000);
    meter.reading(reading({ tokens: tokens(200, 40), costUsd: 0.02 }));
    expect(timers).toHaveLength(1);
    meter.flush();
    expect(timers).toHaveLength(0);
    expect(usageEvents()).toHaveLength(3);
  });

  it('writes what is pending at a turn end and at the attempt end, and nothing when nothing changed', () => {
    const { meter: make, usageEvents, advance, recorder } = setup();
    const meter = make();
    meter.reading(reading({ firstOfLaunch: true, costUsd: 0 }));
    advance(1_000);
    meter.reading(reading({ tokens: tokens(100, 20), costUsd: 0.01 }));
    expect(usageEvents()).toHaveLength(1);
    meter.turnEnded();
    expect(usageEvents()).toHaveLength(2);
    meter.flush();
    expect(usageEvents()).toHaveLength(2);
    advance(1_000);
    meter.reading(reading({ tokens: tokens(200, 40), costUsd: 0.02 }));
    advance(1_000);
    meter.reading(reading({ tokens: tokens(200, 40), costUsd: 0.02 }));
    expect(usageEvents()).toHaveLength(2);
    meter.flush();
    expect(usageEvents()).toHaveLength(3);
    expect(taskUsage(recorder.state, 't1')).toEqual({ tokens: tokens(200, 40), costUsd: 0.02 });
  });

  it('writes the reading a turn end brings after its Stop hook at once', () => {
    const { meter: make, usageEvents, advance } = setup();
    const meter = make();
    meter.reading(reading({ firstOfLaunch: true, costUsd: 0 }));
    advance(1_000);
    meter.turnEnded();
    meter.reading(reading({ tokens: tokens(100, 20), costUsd: 0.01 }));
    expect(usageEvents()).toHaveLength(2);
    advance(1_000);
    meter.reading(reading({ tokens: tokens(200, 40), costUsd: 0.02 }));
    expect(usageEvents()).toHaveLength(2);
  });

  it('keeps a session cost that a resumed process did not restore (a crash saved none)', () => {
    const { meter: make, recorder } = setup();
    const first = make();
    first.reading(reading({ firstOfLaunch: true, costUsd: 0 }));
    first.reading(reading({ tokens: tokens(100, 20), costUsd: 0.5 }));
    first.flush();
    // The process was killed: the next one starts its cost at 0 again.
    const second = make(2);
    second.reading(reading({ firstOfLaunch: true, costUsd: 0, tokens: tokens(100, 20) }));
    second.reading(reading({ tokens: tokens(200, 40), costUsd: 0.25 }));
    second.flush();
    const usage = recorder.state.tasks.t1!.usage!;
    expect(usage.total).toEqual({ tokens: tokens(200, 40), costUsd: 0.75 });
    expect(usage.byAttempt['2']).toEqual({ tokens: tokens(100, 20), costUsd: 0.25 });
  });

  it('counts a restored cost once', () => {
    const { meter: make, recorder } = setup();
    const first = make();
    first.reading(reading({ firstOfLaunch: true, costUsd: 0 }));
    first.reading(reading({ tokens: tokens(100, 20), costUsd: 0.5 }));
    first.flush();
    const second = make(2);
    second.reading(reading({ firstOfLaunch: true, costUsd: 0.5, tokens: tokens(100, 20) }));
    second.reading(reading({ tokens: tokens(200, 40), costUsd: 0.75 }));
    second.flush();
    expect(taskUsage(recorder.state, 't1').costUsd).toBe(0.75);
  });

  it('counts a second session of the task on top of the first', () => {
    const { meter: make, recorder } = setup();
    const first = make();
    first.reading(reading({ firstOfLaunch: true, tokens: tokens(100, 20), costUsd: 0.5 }));
    first.flush();
    const second = make(2);
    second.reading({ sessionId: 'sess-2', firstOfLaunch: true, costUsd: 0 });
    second.reading({ sessionId: 'sess-2', firstOfLaunch: false, tokens: tokens(10, 2), costUsd: 0.1 });
    second.flush();
    expect(taskUsage(recorder.state, 't1')).toEqual({ tokens: tokens(110, 22), costUsd: 0.6 });
  });

  it('journals the account windows with the reading, as ISO times', () => {
    const { meter: make, recorder } = setup();
    const meter = make();
    meter.reading(reading({ firstOfLaunch: true, costUsd: 0, rateLimits: { fiveHour: { usedPercentage: 42.5, resetsAt: '2026-11-23T18:00:00Z' } } }));
    expect(recorder.state.rateLimits).toMatchObject({ fiveHour: { usedPercentage: 42.5, resetsAt: '2026-11-23T18:00:00.000Z' } });
  });

  it('ignores figures that are not figures, and never writes an event the journal refuses', () => {
    const { meter: make, recorder, usageEvents } = setup();
    const meter = make();
    meter.reading(reading({ firstOfLaunch: true, tokens: tokens(100, 20), costUsd: 0.5 }));
    const hostile: Array<Partial<UsageReading>> = [
      { costUsd: Number.NaN },
      { costUsd: -3 },
      { costUsd: Number.POSITIVE_INFINITY },
      { tokens: tokens(Number.NaN, 5) },
      { tokens: tokens(-1, 5) },
      { tokens: tokens(1e300, 5) },
      { model: 'x'.repeat(10_000) },
      { rateLimits: { fiveHour: { usedPercentage: Number.NaN, resetsAt: '2026-11-23T18:00:00Z' } } },
      { rateLimits: { fiveHour: { usedPercentage: 50, resetsAt: 'soon' } } },
      { rateLimits: { fiveHour: { usedPercentage: 50, resetsAt: '+275760-09-13T00:00:00.000Z' } } },
      { sessionId: '' },
    ];
    for (const fields of hostile) {
      meter.reading(reading(fields));
      meter.flush();
    }
    expect(usageEvents()).toHaveLength(1);
    expect(taskUsage(recorder.state, 't1')).toEqual({ tokens: tokens(100, 20), costUsd: 0.5 });
    expect(recorder.state.rateLimits).toBeUndefined();
  });

  it('keeps fractional token counts out of the journal', () => {
    const { meter: make, recorder } = setup();
    const meter = make();
    meter.reading(reading({ firstOfLaunch: true, tokens: tokens(100.7, 20.2), costUsd: 0 }));
    expect(taskUsage(recorder.state, 't1').tokens).toEqual(tokens(100, 20));
  });
});
