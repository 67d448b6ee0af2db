/**
 * Token counts and dollar estimates in the words every view uses: "950", "34.2k", "1.25M";
 * "$0.42". The dollar figure is Claude Code's estimate at list prices, so it is always marked as
 * one ("~$0.42"): a subscription does not bill it.
 */

/** 950 → "950", 34_210 → "34.2k", 1_250_000 → "1.25M": three significant digits at most. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(Math.round(count));
  const [value, unit] = count < 999_500 ? [count / 1000, 'k'] : [count / 1_000_000, 'M'];
  return `${trimZeros(value.toPrecision(3))}${unit}`;
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
