/**
 * Budget figures as a plan writes them: token counts like `2M`, `500k` or `250000`, and dollar
 * amounts like `40` or `"$5.50"`. Anything else (negative, zero, NaN, absurdly large) is no budget.
 */

const TOKEN_UNITS: Record<string, number> = { '': 1, k: 1_000, m: 1_000_000 };
const TOKEN_COUNT = /^(\d+(?:\.\d+)?)\s*([kKmM]?)$/;
const USD_AMOUNT = /^\$?\s*(\d+(?:\.\d+)?)$/;

/** Far beyond any run: a larger figure is a typo, not a budget. */
export const MAX_TOKEN_BUDGET = 1_000_000_000_000;
export const MAX_USD_BUDGET = 1_000_000;

/** `2M` → 2_000_000, `500k` → 500_000, `1.5M`, `250000`; undefined when it is not a positive count. */
export function parseTokenCount(value: string | number): number | undefined {
  let count: number;
  if (typeof value === 'number') {
    count = value;
  } else {
    const match = TOKEN_COUNT.exec(value.trim());
    if (!match) return undefined;
    count = Number(match[1]) * TOKEN_UNITS[match[2]!.toLowerCase()]!;
  }
  count = Math.round(count);
  return Number.isFinite(count) && count > 0 && count <= MAX_TOKEN_BUDGET ? count : undefined;
}

/** `40`, `5.5`, `"$5.50"` → dollars; undefined when it is not a positive amount. */
export function parseUsdAmount(value: string | number): number | undefined {
  let usd: number;
  if (typeof value === 'number') {
    usd = value;
  } else {
    const match = USD_AMOUNT.exec(value.trim());
    if (!match) return undefined;
    usd = Number(match[1]);
  }
  return Number.isFinite(usd) && usd > 0 && usd <= MAX_USD_BUDGET ? usd : undefined;
}
