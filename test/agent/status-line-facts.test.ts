import { describe, expect, it } from 'vitest';
import { statusLineFacts } from '../../src/agent/usage/status-line-facts.js';

const RESET_EPOCH_S = 1_767_225_600; // 2026-01-01T00:00:00Z

describe('status-line facts', () => {
  it('takes the session, transcript, cost, model and rate-limit windows', () => {
    const status = {
      session_id: 's1',
      transcript_path: '/home/u/.claude/projects/p/s1.jsonl',
      model: { id: 'claude-sonnet-4-5', display_name: 'Sonnet' },
      cost: { total_cost_usd: 1.25, total_duration_ms: 1000 },
      context_window: { total_input_tokens: 999, total_output_tokens: 999 },
      rate_limits: { five_hour: { used_percentage: 42.5, resets_at: RESET_EPOCH_S }, seven_day: { used_percentage: 7, resets_at: RESET_EPOCH_S + 3600 } },
    };
    expect(statusLineFacts(status)).toEqual({
      sessionId: 's1',
      transcriptPath: '/home/u/.claude/projects/p/s1.jsonl',
      costUsd: 1.25,
      model: 'claude-sonnet-4-5',
      rateLimits: {
        fiveHour: { usedPercentage: 42.5, resetsAt: '2026-01-01T00:00:00.000Z' },
        sevenDay: { usedPercentage: 7, resetsAt: '2026-01-01T01:00:00.000Z' },
      },
    });
  });

  it.each([
    ['not an object', [1, 2], {}],
    ['null', null, {}],
    ['a negative cost', { cost: { total_cost_usd: -1 } }, {}],
    ['an absurd cost', { cost: { total_cost_usd: 1e12 } }, {}],
    ['a cost that is text', { cost: { total_cost_usd: '3' } }, {}],
    ['a model id with control characters', { model: { id: 'x\u001b[2J' } }, {}],
    ['a window with no reset time', { rate_limits: { five_hour: { used_percentage: 50 } } }, {}],
    ['a window reset in the year 5000', { rate_limits: { five_hour: { used_percentage: 50, resets_at: 95_617_584_000 } } }, {}],
    ['a negative percentage', { rate_limits: { five_hour: { used_percentage: -3, resets_at: RESET_EPOCH_S } } }, {}],
    [
      'a percentage over 100',
      { rate_limits: { five_hour: { used_percentage: 250, resets_at: RESET_EPOCH_S } } },
      { rateLimits: { fiveHour: { usedPercentage: 100, resetsAt: '2026-01-01T00:00:00.000Z' } } },
    ],
  ])('is careful with %s', (_name, status, expected) => {
    expect(statusLineFacts(status)).toEqual(expected);
  });
});
