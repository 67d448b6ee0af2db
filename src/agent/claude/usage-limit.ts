import { isTimeZone, nextWallClockTime, systemTimeZone } from '../wall-clock.js';

/**
 * Usage-limit texts Claude Code has shown, and when each says the limit resets:
 *   "Claude AI usage limit reached|1749924000"                      (epoch seconds)
 *   "Claude usage limit reached. Your limit will reset at 3pm (America/Santiago)."
 *   "5-hour limit reached ∙ resets 1am"
 *   "You've hit your limit · resets 10pm (America/New_York)"
 *   "You've hit your session limit · resets 8:30pm (Asia/Tokyo)"
 *   "● Usage limit reached · set to continue automatically at 8:40am"   (2.1.330–2.1.332, subscription)
 * A wall-clock time is read in its IANA zone (or the local one) and means its next occurrence.
 */
const LIMIT_MARKER = /usage limit reached|limit reached|hit your (?:\w+ )?limit/i;
const EPOCH = /limit reached\|(\d{9,11})\b/i;
const WALL_TIME = /\b(?:resets?|continue automatically)\s+(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?(?:\s*\(([^)]+)\))?/i;

export interface UsageLimit {
  /** Undefined when the text names no time: the caller waits a default period. */
  resetAt: Date | undefined;
  /** The line that said so, for the log. */
  detail: string;
}

export function parseUsageLimit(lines: readonly string[], now: Date, localZone = systemTimeZone()): UsageLimit | undefined {
  for (const raw of lines) {
    const line = raw.trim();
    if (!LIMIT_MARKER.test(line)) continue;
    const epoch = EPOCH.exec(line);
    if (epoch?.[1]) return { resetAt: new Date(Number(epoch[1]) * 1000), detail: line };
    const wall = WALL_TIME.exec(line);
    if (!wall?.[1]) return { resetAt: undefined, detail: line };
    const hour = toHour24(Number(wall[1]), wall[3]);
    const minute = Number(wall[2] ?? 0);
    if (hour === undefined || minute > 59) return { resetAt: undefined, detail: line };
    const zone = isTimeZone(wall[4]) ? wall[4] : localZone;
    return { resetAt: nextWallClockTime(now, hour, minute, zone), detail: line };
  }
  return undefined;
}

function toHour24(hour: number, meridiem: string | undefined): number | undefined {
  if (meridiem === undefined) return hour <= 23 ? hour : undefined;
  if (hour < 1 || hour > 12) return undefined;
  const pm = meridiem.toLowerCase() === 'pm';
  return (hour % 12) + (pm ? 12 : 0);
}
