import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/format/bytes.js';
import { formatDuration } from '../../src/format/duration.js';
import { plural } from '../../src/format/plural.js';
import { shortSha, SHORT_SHA_LENGTH } from '../../src/format/sha.js';

describe('formatDuration: whole seconds, rounded down, like a stopwatch', () => {
  it.each([
    [-5, '0s'],
    [0, '0s'],
    [999, '0s'],
    [59_999, '59s'],
    [60_000, '1m00s'],
    [724_400, '12m04s'],
    [3_599_999, '59m59s'],
    [3_600_000, '1h00m'],
    [3_720_000, '1h02m'],
    [90_000_000, '25h00m'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('shortSha', () => {
  it("is git's default abbreviation", () => {
    expect(SHORT_SHA_LENGTH).toBe(7);
    expect(shortSha('a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0')).toBe('a1b2c3d');
  });
});

describe('plural', () => {
  it.each([
    [0, 'commit', undefined, '0 commits'],
    [1, 'commit', undefined, '1 commit'],
    [2, 'commit', undefined, '2 commits'],
    [2, 'match', 'matches', '2 matches'],
    [1, 'match', 'matches', '1 match'],
  ])('%d %s', (count, one, many, text) => {
    expect(plural(count, one, many)).toBe(text);
  });
});

describe('formatBytes: rounded up, so a size over a limit never reads as the limit', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1 KB'],
    [256 * 1024 + 1, '257 KB'],
    [1024 * 1024, '1 MB'],
    [1024 * 1024 + 1, '1.1 MB'],
    [10.45 * 1024 * 1024, '10.5 MB'],
  ])('%d bytes is %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
