import { formatTokens, formatUsd } from '../../format/usage.js';
import type { RunState } from '../../journal/run-state.js';
import { totalTokens, type Usage } from '../../journal/usage.js';

/**
 * Usage in the words every view shows: tokens first (what a subscription counts), then Claude
 * Code's dollar estimate, always marked as one. A run whose agents reported nothing (plain
 * commands) shows no usage at all rather than a column of zeros.
 */

/** Some agent of the run reported its usage. */
export function runHasUsage(state: RunState): boolean {
  return Object.values(state.tasks).some((task) => task.usage !== undefined);
}

/**
 * "34.2k" and "~$0.42", for columns. An agent that reports no cost (Codex) never shows as $0:
 * "?" alone, or "~$0.42+" where Claude's estimate leaves its part out.
 */
export function usageCells(usage: Usage): { tokens: string; cost: string } {
  const cost = !usage.costUnknown ? formatUsd(usage.costUsd) : usage.costUsd > 0 ? `${formatUsd(usage.costUsd)}+` : '?';
  return { tokens: formatTokens(totalTokens(usage.tokens)), cost };
}

/** "34.2k tokens ~$0.42": where a line nearby says the dollars are an estimate; tokens only when the cost is unknown. */
export function usageBrief(usage: Usage): string {
  const { tokens, cost } = usageCells(usage);
  return usage.costUnknown && usage.costUsd === 0 ? `${tokens} tokens` : `${tokens} tokens ${cost}`;
}

/** "34.2k tokens, ~$0.42 estimated", or "34.2k tokens, cost unknown". */
export function usageText(usage: Usage): string {
  const { tokens, cost } = usageCells(usage);
  if (!usage.costUnknown) return `${tokens} tokens, ${cost} estimated`;
  return usage.costUsd > 0 ? `${tokens} tokens, ${cost} estimated (Codex reports no cost)` : `${tokens} tokens, cost unknown`;
}

/** The run's usage line: says where the dollars come from, when there are any to speak of. */
export function runUsageText(usage: Usage): string {
  return usage.costUnknown ? usageText(usage) : `${usageText(usage)} (Claude Code's estimate at list prices)`;
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
