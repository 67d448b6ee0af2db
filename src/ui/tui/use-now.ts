import { useEffect, useState } from 'react';

/** Re-reads `clock` every `intervalMs` for elapsed times and spinners; a same value causes no render. */
export function useNow(clock: () => number, intervalMs: number): number {
  const [now, setNow] = useState(clock);
  useEffect(() => {
    const timer = setInterval(() => setNow(clock()), intervalMs);
    return () => clearInterval(timer);
  }, [clock, intervalMs]);
  return now;
}
