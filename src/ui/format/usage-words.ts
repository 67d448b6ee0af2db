import type { RunState } from '../../journal/run-state.js';

/**
 * A run's usage as the views show it (the words for one usage are in journal/usage-text.ts). A run
 * whose agents reported nothing (plain commands) shows no usage at all rather than a column of zeros.
 */

/** Some agent of the run reported its usage. */
export function runHasUsage(state: RunState): boolean {
  return Object.values(state.tasks).some((task) => task.usage !== undefined);
}

/**
 * "five-hour window 42% (resets 18:00)": the account's window as an agent last reported it;
 * nothing once it has reset, as the figure is then out of date.
 */
export function windowText(state: RunState, nowMs: number, hourMinute: (iso: string) => string): string | undefined {
  const window = state.rateLimits?.fiveHour;
  if (!window || Date.parse(window.resetsAt) <= nowMs) return undefined;
  return `five-hour window ${Math.round(window.usedPercentage)}% (resets ${hourMinute(window.resetsAt)})`;
}

/** "five-hour window at 96% (threshold 95%): no new agents until 18:00", while the run holds launches. */
export function limitPauseText(pause: { until: string; usedPercentage: number; threshold: number }, hourMinute: (iso: string) => string): string {
  return `five-hour window at ${Math.round(pause.usedPercentage)}% (threshold ${pause.threshold}%): no new agents until ${hourMinute(pause.until)}`;
}
