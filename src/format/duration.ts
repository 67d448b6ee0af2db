/**
 * Elapsed times as every view shows them: "38s", "12m04s", "1h02m".
 *
 * One rule: whole seconds, rounded down, like a stopwatch. The live view ticks once a second, and
 * a clock that rounded up would show "1m00s" while a minute has not yet passed; the status, the
 * plain log, the summary and the retrospectives use the same rule so one task's time reads the
 * same in all of them. Past an hour the seconds stop mattering and are dropped.
 */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${pad2(minutes)}m`;
  if (minutes > 0) return `${minutes}m${pad2(seconds)}s`;
  return `${seconds}s`;
}

/**
 * A configured duration written back the way a user writes it in settings: 2700000 → "45m",
 * 5400000 → "1h30m", 500 → "500ms". Exact, not rounded: it is the inverse of the settings' own
 * duration parser, so a value printed by `validate` or in a timeout message reads like the setting.
 */
export function formatSettingDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 1000 !== 0) return `${ms}ms`;
  let seconds = ms / 1000;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  return parts.join('');
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
