import { describe, expect, it } from 'vitest';
import { parseUsageLimit } from '../../src/agent/claude/usage-limit.js';
import { nextWallClockTime } from '../../src/agent/wall-clock.js';

const NOW = new Date('2026-11-23T15:00:00Z');

describe('parseUsageLimit', () => {
  it.each([
    ['Claude AI usage limit reached|1749924000', 'UTC', '2025-06-14T18:00:00.000Z'],
    ['Claude usage limit reached. Your limit will reset at 3pm (America/Santiago).', 'UTC', '2026-11-23T18:00:00.000Z'],
    ['5-hour limit reached ∙ resets 1am', 'UTC', '2026-11-24T01:00:00.000Z'],
    // Claude Code 2.1.330 and 2.1.332, logged in with a subscription (seen by ccwave doctor).
    ['● Usage limit reached · set to continue automatically at 8:40am', 'UTC', '2026-11-24T08:40:00.000Z'],
    ['● Usage limit reached · set to continue automatically at 4:05pm', 'UTC', '2026-11-23T16:05:00.000Z'],
    ['5-hour limit reached ∙ resets 4pm', 'UTC', '2026-11-23T16:00:00.000Z'],
    ['5-hour limit reached ∙ resets 4pm', 'Europe/Berlin', '2026-11-24T15:00:00.000Z'],
    ["You've hit your limit · resets 10pm (America/New_York)", 'UTC', '2026-11-24T03:00:00.000Z'],
    ["You've hit your session limit · resets 8:30pm (Asia/Tokyo)", 'UTC', '2026-11-24T11:30:00.000Z'],
    ["You've hit your limit · resets 12am (Asia/Kolkata)", 'UTC', '2026-11-23T18:30:00.000Z'],
    ["You've hit your limit · resets 12pm (Not/AZone)", 'UTC', '2026-11-24T12:00:00.000Z'],
  ])('%s (local zone %s)', (text, zone, expected) => {
    expect(parseUsageLimit([text], NOW, zone)?.resetAt?.toISOString()).toBe(expected);
  });

  it('reports a limit without a time as such', () => {
    expect(parseUsageLimit(['Claude usage limit reached.'], NOW, 'UTC')).toEqual({
      resetAt: undefined,
      detail: 'Claude usage limit reached.',
    });
  });

  it('ignores lines without a limit', () => {
    expect(parseUsageLimit(['● Done.', 'resets 3pm'], NOW, 'UTC')).toBeUndefined();
  });
});

describe('nextWallClockTime', () => {
  it('crosses a daylight-saving change correctly', () => {
    // Europe/Berlin leaves summer time on 2026-10-25 at 03:00 local.
    const now = new Date('2026-10-24T12:00:00Z'); // 14:00 in Berlin (UTC+2)
    expect(nextWallClockTime(now, 9, 0, 'Europe/Berlin').toISOString()).toBe('2026-10-25T08:00:00.000Z');
  });

  it('takes a time equal to now as tomorrow', () => {
    expect(nextWallClockTime(NOW, 15, 0, 'UTC').toISOString()).toBe('2026-11-24T15:00:00.000Z');
  });
});
