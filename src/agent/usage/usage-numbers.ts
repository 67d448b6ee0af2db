import type { RateWindow } from '../../journal/usage.js';

/**
 * Figures from an agent's files are hostile input: a count that is not a finite, non-negative
 * number, or one no single API response or session could reach, counts as absent rather than
 * stopping a task on a budget it never spent.
 */

/** Far above any single API response (context windows are in the millions at most). */
export const MAX_TOKENS_PER_RESPONSE = 100_000_000;
/** Far above any session's running total (a long session's cached input is counted again at every request). */
export const MAX_TOKENS_PER_SESSION = 100_000_000_000;
/** Far above any session's list-price estimate. */
export const MAX_COST_USD = 1_000_000;

/** A whole token count in [0, max]; 0 for anything else. */
export function tokenCount(value: unknown, max = MAX_TOKENS_PER_RESPONSE): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) return 0;
  return Math.floor(value);
}

/** A dollar figure in [0, MAX_COST_USD]; undefined for anything else. */
export function costUsd(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_COST_USD) return undefined;
  return value;
}

/** Model ids are short; anything longer is not one. */
export const MAX_MODEL_CHARS = 200;
/** A reset time must be a real date: before the year 3000, in epoch seconds. */
const MAX_EPOCH_SECONDS = 32_503_680_000;

/** A non-empty string of at most `max` characters without control characters; undefined for anything else. */
export function shortString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= max && !/[\x00-\x1f\x7f]/.test(value) ? value : undefined;
}

/** A rate-limit window from its used percentage and reset time (epoch seconds); undefined when either is unusable. */
export function rateWindowOf(usedPercent: unknown, resets: unknown): RateWindow | undefined {
  if (typeof usedPercent !== 'number' || !Number.isFinite(usedPercent) || usedPercent < 0) return undefined;
  if (typeof resets !== 'number' || !Number.isFinite(resets) || resets <= 0 || resets > MAX_EPOCH_SECONDS) return undefined;
  return { usedPercentage: Math.min(100, usedPercent), resetsAt: new Date(resets * 1000).toISOString() };
}
