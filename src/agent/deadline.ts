/** A clock the runner can replace in tests (e.g. to stand at a chosen "now"). */
export interface Clock {
  now(): number;
}

/**
 * A clock that also runs timers: the agent session's timers all go through one, so a test clock
 * can drive them. `setTimer` returns the function that cancels the timer.
 */
export interface TimerClock extends Clock {
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: TimerClock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** A clock given with `now` only runs real timers. */
export function timerClock(clock: Clock | undefined): TimerClock {
  if (!clock) return systemClock;
  if ('setTimer' in clock && typeof clock.setTimer === 'function') return clock as TimerClock;
  return { now: () => clock.now(), setTimer: systemClock.setTimer };
}

/** Resolves after `ms` on the clock's timers. */
export function sleep(clock: TimerClock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimer(ms, resolve));
}
