import { describe, expect, it } from 'vitest';
import type { TimerClock } from '../../src/agent/deadline.js';
import type { NewJournalEvent } from '../../src/journal/events.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { initialRunState } from '../../src/journal/run-state.js';
import { watchFiveHourWindow } from '../../src/run/budget-five-hour.js';
import { UsagePause } from '../../src/run/usage-pause.js';
import { memoryJournal, runStartedEvent } from '../helpers/journal.js';

const START = Date.parse('2026-12-02T10:00:00Z');

/** A clock that stands still until the test moves it, firing the timers that fall due. */
function manualClock(): TimerClock & { advance(ms: number): void } {
  let now = START;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer(ms, fn) {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => (timers = timers.filter((t) => t !== timer));
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.fn();
    },
  };
}

function reading(usedPercentage: number, resetInMs: number): NewJournalEvent {
  return {
    type: 'agent-usage',
    task: 't1',
    attempt: 1,
    sessionId: 's1',
    usage: { tokens: { input: 10, output: 1, cacheCreation: 0, cacheRead: 0 }, costUsd: 0.01 },
    rateLimits: { fiveHour: { usedPercentage, resetsAt: new Date(START + resetInMs).toISOString() } },
  };
}

const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function watched(threshold: number | false, before: NewJournalEvent[] = []) {
  const clock = manualClock();
  const journal = memoryJournal(() => new Date(clock.now()));
  const recorder = new RunRecorder(journal, initialRunState());
  recorder.record(runStartedEvent([['t1', 't2']]));
  for (const event of before) recorder.record(event);
  const pause = new UsagePause(clock);
  const unwatch = watchFiveHourWindow({ recorder, pause, threshold, clock });
  const types = () => journal.events.map((e) => e.type).filter((t) => t === 'limit-pause' || t === 'limit-resume');
  /** Whether a launch waiting now has been let through. */
  const launch = () => {
    const state = { through: false };
    void pause.wait(new AbortController().signal).then(() => (state.through = true));
    return state;
  };
  return { clock, journal, recorder, pause, unwatch, types, launch };
}

describe('the five-hour window past its threshold', () => {
  it('records limit-pause until the reset, holds launches until then, then records limit-resume', async () => {
    const run = watched(95);
    run.recorder.record(reading(80, 3_000));
    await settled();
    expect(run.types()).toEqual([]);
    run.recorder.record(reading(96.5, 3_000));
    run.recorder.record(reading(97, 3_000));
    await settled();
    expect(run.types()).toEqual(['limit-pause']);
    expect(run.recorder.state.limitPause).toMatchObject({ until: '2026-12-02T10:00:03.000Z', usedPercentage: 96.5, threshold: 95 });
    const launch = run.launch();
    run.clock.advance(2_999);
    await settled();
    expect(launch.through).toBe(false);
    expect(run.types()).toEqual(['limit-pause']);
    run.clock.advance(1);
    await settled();
    expect(launch.through).toBe(true);
    expect(run.types()).toEqual(['limit-pause', 'limit-resume']);
    expect(run.recorder.state.limitPause).toBeUndefined();
  });

  it('a later reset announced while paused moves the pause', async () => {
    const run = watched(90);
    run.recorder.record(reading(92, 3_000));
    await settled();
    run.recorder.record(reading(93, 60_000));
    await settled();
    run.clock.advance(3_000);
    await settled();
    expect(run.types()).toEqual(['limit-pause', 'limit-pause']);
    run.clock.advance(57_000);
    expect(run.types()).toEqual(['limit-pause', 'limit-pause', 'limit-resume']);
  });

  it('switched off, nothing is held', async () => {
    const run = watched(false);
    run.recorder.record(reading(100, 3_000));
    await settled();
    expect(run.types()).toEqual([]);
    const launch = run.launch();
    await settled();
    expect(launch.through).toBe(true);
  });

  it('a resumed run honours a pause still in force', async () => {
    const pauseBefore: NewJournalEvent = { type: 'limit-pause', until: new Date(START + 10_000).toISOString(), usedPercentage: 99, threshold: 95 };
    const run = watched(95, [pauseBefore]);
    const launch = run.launch();
    run.clock.advance(9_000);
    await settled();
    expect(launch.through).toBe(false);
    run.clock.advance(1_000);
    await settled();
    expect(launch.through).toBe(true);
    expect(run.types()).toEqual(['limit-pause', 'limit-resume']);
  });

  it('a resumed run whose pause has run out records its end at once', () => {
    const pauseBefore: NewJournalEvent = { type: 'limit-pause', until: new Date(START - 1).toISOString(), usedPercentage: 99, threshold: 95 };
    const run = watched(95, [pauseBefore]);
    expect(run.types()).toEqual(['limit-pause', 'limit-resume']);
  });

  it('a resumed run whose last reading was past the threshold pauses until that reset', async () => {
    const run = watched(95, [reading(98, 5_000)]);
    expect(run.types()).toEqual(['limit-pause']);
    expect(run.recorder.state.limitPause?.until).toBe('2026-12-02T10:00:05.000Z');
    const launch = run.launch();
    await settled();
    expect(launch.through).toBe(false);
    run.clock.advance(5_000);
    await settled();
    expect(launch.through).toBe(true);
    expect(run.types()).toEqual(['limit-pause', 'limit-resume']);
  });

  it('stops watching when told', async () => {
    const run = watched(95);
    run.unwatch();
    run.recorder.record(reading(99, 3_000));
    await settled();
    expect(run.types()).toEqual([]);
  });
});
