import { describe, expect, it } from 'vitest';
import { formatTokens, formatUsd, formatUsdLimit } from '../../src/format/usage.js';

describe('usage words', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [999, '999'],
    [1000, '1k'],
    [34_210, '34.2k'],
    [999_499, '999k'],
    [999_500, '1M'],
    [1_250_000, '1.25M'],
    [12_345_678, '12.3M'],
    [999_499_999, '999M'],
    [999_500_000, '1B'],
    [1_500_000_000, '1.5B'],
    [2_345_678_901_234, '2346B'],
  ])('%i tokens read %s', (count, words) => expect(formatTokens(count)).toBe(words));

  it('marks a dollar figure as an estimate and rounds to cents', () => {
    expect(formatUsd(0.4213)).toBe('~$0.42');
    expect(formatUsd(12.5)).toBe('~$12.50');
    expect(formatUsd(0)).toBe('~$0.00');
  });

  it('says a budget as written', () => {
    expect(formatUsdLimit(40)).toBe('$40');
    expect(formatUsdLimit(5.5)).toBe('$5.50');
  });
});
