import { useEffect, useState } from 'react';

/**
 * The time for elapsed times and spinners, read at each render. Its timer starts again at every
 * render, so it re-renders only when nothing else did for `intervalMs`: while the run's frames come
 * anyway (agents at work), they move the clock too, and a spinner step costs no render of its own.
 * A clock that stands still (tests) causes none.
 */
export function useNow(clock: () => number, intervalMs: number): number {
  const [, setTick] = useState(0);
  const now = clock();
  useEffect(() => {
    const timer = setTimeout(() => {
      if (clock() !== now) setTick((tick) => tick + 1);
    }, intervalMs);
    return () => clearTimeout(timer);
  });
  return now;
}
