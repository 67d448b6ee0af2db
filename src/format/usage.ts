/**
 * Token counts and dollar estimates in the words every view uses: "950", "34.2k", "1.25M";
 * "$0.42". The dollar figure is Claude Code's estimate at list prices, so it is always marked as
 * one ("~$0.42"): a subscription does not bill it.
 */

/** Each unit takes over where the one below would need a fourth digit ("999k", then "1M"). */
const TOKEN_UNITS: ReadonlyArray<[below: number, divisor: number, unit: string]> = [
  [999_500, 1000, 'k'],
  [999_500_000, 1_000_000, 'M'],
];

/**
 * 950 → "950", 34_210 → "34.2k", 1_250_000 → "1.25M", 1_500_000_000 → "1.5B": three significant
 * digits at most. An overnight run's cache reads reach billions.
 */
export function formatTokens(count: number): string {
  if (count < 1000) return String(Math.round(count));
  const [, divisor, unit] = TOKEN_UNITS.find(([below]) => count < below) ?? [Infinity, 1_000_000_000, 'B'];
  const value = count / divisor;
  // Past 999B the digits are whole: toPrecision would switch to "1.00e+3".
  return `${value < 999.5 ? trimZeros(value.toPrecision(3)) : String(Math.round(value))}${unit}`;
}

/** 0.4213 → "~$0.42", 12.5 → "~$12.50", 0.001 → "~$0.00". */
export function formatUsd(usd: number): string {
  return `~$${usd.toFixed(2)}`;
}

/** A budget as the user wrote it, without the estimate mark: 40 → "$40", 5.5 → "$5.50". */
export function formatUsdLimit(usd: number): string {
  return Number.isInteger(usd) ? `$${usd}` : `$${usd.toFixed(2)}`;
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
