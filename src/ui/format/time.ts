/** Milliseconds between two ISO times, or undefined when either is missing. */
export function spanMs(fromIso: string | undefined, toIso: string | undefined): number | undefined {
  if (!fromIso || !toIso) return undefined;
  return Date.parse(toIso) - Date.parse(fromIso);
}

export interface TimeFormatter {
  /** "15:00": for reset times and pauses. */
  hourMinute(iso: string): string;
  /** "14:03:12": for log line prefixes. */
  clock(iso: string): string;
}

/** `timeZone` undefined means the machine's zone; tests pass "UTC" to be deterministic. */
export function timeFormatter(timeZone?: string): TimeFormatter {
  const base = { hourCycle: 'h23', timeZone } as const;
  const hm = new Intl.DateTimeFormat('en-GB', { ...base, hour: '2-digit', minute: '2-digit' });
  const hms = new Intl.DateTimeFormat('en-GB', { ...base, hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return {
    hourMinute: (iso) => hm.format(new Date(iso)),
    clock: (iso) => hms.format(new Date(iso)),
  };
}
