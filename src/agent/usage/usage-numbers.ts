/**
 * Figures from an agent's files are hostile input: a count that is not a finite, non-negative
 * number, or one no single API response or session could reach, counts as absent rather than
 * stopping a task on a budget it never spent.
 */

/** Far above any single API response (context windows are in the millions at most). */
export const MAX_TOKENS_PER_RESPONSE = 100_000_000;
/** Far above any session's list-price estimate. */
export const MAX_COST_USD = 1_000_000;

/** A whole token count in [0, MAX_TOKENS_PER_RESPONSE]; 0 for anything else. */
export function tokenCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_TOKENS_PER_RESPONSE) return 0;
  return Math.floor(value);
}

/** A dollar figure in [0, MAX_COST_USD]; undefined for anything else. */
export function costUsd(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_COST_USD) return undefined;
  return value;
}
