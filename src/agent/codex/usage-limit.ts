import { systemTimeZone, wallClockToday, zonedToInstant } from '../wall-clock.js';

/**
 * Codex's usage-limit texts (0.171.0, an HTTP 429 `usage_limit_reached` answer; the wording after
 * the first sentence depends on the plan):
 *   "You’ve hit your usage limit. Upgrade to Pro (…), visit … or try again at 2:39 PM."
 *   "You’ve hit your usage limit. Upgrade to Plus to continue using Codex (…), or try again at Dec 4th, 2026 1:40 PM."
 *   "You’ve hit your usage limit. Visit https://chatgpt.com/settings/usage to purchase more credits or try again later."
 * The time is on Codex's local clock (its TZ, which ccwave passes on), to the minute. Codex adds
 * the date only when the reset is on another day, so a bare time is today's, even when it has
 * just passed (the limit is over: try again now).
 */
const LIMIT_MARKER = /You[’']ve hit your usage limit/i;
const RESET_AT = /try again at (?:([A-Z][a-z]{2}) (\d{1,2})(?:st|nd|rd|th)?, (\d{4}) )?(\d{1,2}):(\d{2}) ?([AP]M)\b/i;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export interface CodexUsageLimit {
  /** Undefined when the text names no time ("try again later"): the caller waits a default period. */
  resetAt: Date | undefined;
  detail: string;
}

/** `text` is one message, its wrapped lines joined. */
export function parseCodexUsageLimit(text: string, now: Date, localZone = systemTimeZone()): CodexUsageLimit | undefined {
  const detail = text.trim();
  if (!LIMIT_MARKER.test(detail)) return undefined;
  const at = RESET_AT.exec(detail);
  if (!at) return { resetAt: undefined, detail };
  const hour12 = Number(at[4]);
  const minute = Number(at[5]);
  if (hour12 < 1 || hour12 > 12 || minute > 59) return { resetAt: undefined, detail };
  const hour = (hour12 % 12) + (at[6]!.toUpperCase() === 'PM' ? 12 : 0);
  if (at[1] === undefined) return { resetAt: wallClockToday(now, hour, minute, localZone), detail };
  const month = MONTHS.indexOf(at[1].toLowerCase()) + 1;
  const day = Number(at[2]);
  if (month === 0 || day < 1 || day > 31) return { resetAt: undefined, detail };
  return { resetAt: new Date(zonedToInstant(Number(at[3]), month, day, hour, minute, localZone)), detail };
}
