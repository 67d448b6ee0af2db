import type { TimerClock } from '../../../src/agent/deadline.js';

/** A clock whose timers run only when the test says so. */
export function manualClock(): TimerClock & { fireAll(): void; armed(): number[] } {
  const timers = new Map<() => void, number>();
  return {
    now: () => 0,
    setTimer: (ms, fn) => {
      timers.set(fn, ms);
      return () => timers.delete(fn);
    },
    fireAll: () => {
      const due = [...timers.keys()];
      timers.clear();
      for (const fn of due) fn();
    },
    armed: () => [...timers.values()],
  };
}
