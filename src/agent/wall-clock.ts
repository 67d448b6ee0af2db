/** Wall-clock times in IANA zones, as the agents' usage-limit texts give them. */

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

/** The instant the clock in `timeZone` reads hour:minute on the day it shows at `now`. */
export function wallClockToday(now: Date, hour: number, minute: number, timeZone: string): Date {
  const today = zonedParts(now.getTime(), timeZone);
  return new Date(zonedToInstant(today.year, today.month, today.day, hour, minute, timeZone));
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
export function zonedToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - zoneOffsetMs(wall, timeZone);
  return wall - zoneOffsetMs(first, timeZone);
}

export function isTimeZone(name: string | undefined): name is string {
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
