/**
 * What agents used, as Claude Code reports it. Tokens are summed over every API response of a
 * session (Claude's transcript); the dollar figure is Claude Code's own estimate at list prices
 * (its status line), which a subscription does not bill.
 */

/** Token counts as the Messages API reports them: `input` excludes cache reads and writes. */
export interface TokenCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

export interface Usage {
  tokens: TokenCounts;
  /** Claude Code's estimate in US dollars. */
  costUsd: number;
  /** Some of the tokens were spent by an agent that reports no cost (Codex): `costUsd` leaves them out. */
  costUnknown?: true;
}

/** One of the account's rolling windows: how full it is, and when it empties. */
export interface RateWindow {
  usedPercentage: number;
  /** ISO time. */
  resetsAt: string;
}

/** Present for subscription accounts only. */
export interface RateLimits {
  fiveHour?: RateWindow;
  sevenDay?: RateWindow;
}

export const NO_TOKENS: TokenCounts = Object.freeze({ input: 0, output: 0, cacheCreation: 0, cacheRead: 0 });
export const NO_USAGE: Usage = Object.freeze({ tokens: NO_TOKENS, costUsd: 0 });

const TOKEN_KEYS = ['input', 'output', 'cacheCreation', 'cacheRead'] as const;

export function addUsage(a: Usage, b: Usage): Usage {
  const tokens = { ...NO_TOKENS };
  for (const key of TOKEN_KEYS) tokens[key] = a.tokens[key] + b.tokens[key];
  return { tokens, costUsd: a.costUsd + b.costUsd, ...(a.costUnknown || b.costUnknown ? { costUnknown: true } : {}) };
}

/** What `now` adds to `before`, field by field; a figure that went down adds nothing. */
export function usageDelta(now: Usage, before: Usage): Usage {
  const tokens = { ...NO_TOKENS };
  for (const key of TOKEN_KEYS) tokens[key] = Math.max(0, now.tokens[key] - before.tokens[key]);
  return { tokens, costUsd: Math.max(0, now.costUsd - before.costUsd), ...(now.costUnknown ? { costUnknown: true } : {}) };
}

/** Every token the model read or wrote, cached or not: what a token budget counts. */
export function totalTokens(tokens: TokenCounts): number {
  return tokens.input + tokens.output + tokens.cacheCreation + tokens.cacheRead;
}

export function sumUsage(items: Iterable<Usage>): Usage {
  let sum = NO_USAGE;
  for (const item of items) sum = addUsage(sum, item);
  return sum;
}
