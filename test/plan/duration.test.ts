import { describe, expect, it } from 'vitest';
import { formatSettingDuration } from '../../src/format/duration.js';
import { parseDuration } from '../../src/plan/duration.js';

describe('durations', () => {
  it.each([
    ['90s', 90_000],
    ['45m', 2_700_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['2d', 172_800_000],
    [' 10m ', 600_000],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '45', '45 minutes', 'm', '1h 30m', '-5m', '5x'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [2_700_000, '45m'],
    [5_400_000, '1h30m'],
    [90_000, '1m30s'],
    [1500, '1500ms'],
    [0, '0s'],
  ])('formats %d as %s', (ms, text) => {
    expect(formatSettingDuration(ms)).toBe(text);
  });
});
