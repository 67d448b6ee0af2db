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

/** The first instant after `now` at which the clock in `timeZone` reads hour:minute. */
export function nextWallClockTime(now: Date, hour: number, minute: number, timeZone: string): Date {
  const today = zonedParts(now.getTime(), timeZone);
  let candidate = zonedToInstant(today.year, today.month, today.day, hour, minute, timeZone);
  // "A time already past today means tomorrow."
  if (candidate <= now.getTime()) {
    candidate = zonedToInstant(today.year, today.month, today.day + 1, hour, minute, timeZone);
  }
  return new Date(candidate);
}

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function zonedParts(instant: number, timeZone: string): ZonedParts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts = format.formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** How far the zone's wall clock is ahead of UTC at that instant. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** Wall-clock time in a zone → instant. Two passes settle the offset across a DST change. */
function zonedToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}

function isTimeZone(name: string | undefined): name is string {
  if (!name) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
