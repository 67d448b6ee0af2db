import { formatTokens, formatUsd } from '../format/usage.js';
import { totalTokens, type Usage } from './usage.js';

/**
 * Usage in the words every view, report and notification uses: tokens first (what a subscription
 * counts), then Claude Code's dollar estimate, always marked as one.
 */

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
