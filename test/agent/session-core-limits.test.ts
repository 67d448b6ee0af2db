import { describe, expect, it } from 'vitest';
import { HOOK_SCREEN_CATCHUP_MS, STALE_SCREEN_GRACE_MS, USAGE_RECHECK_MS } from '../../src/agent/session-timing.js';
import { MESSAGES } from '../../src/agent/turn-policy.js';
import { playRow, type CoreRow } from './helpers/core-case.js';
import { busy, hook, launched, usageLimit } from './helpers/core-driver.js';

const HOUR = 60 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const failure = (error: string) => hook('StopFailure', { error });
const output = { type: 'output' } as const;
const clean = { dirty: false, newCommits: 1 };

const usage: CoreRow[] = [
  {
    name: 'usage limit: pauses until the reset time plus the margin, then sends "continue", never earlier',
    config: { policy: { usageResetMarginMs: 500 } },
    steps: [
      [0, launched],
      [500, 'show', busy],
      [4_000, 'show', usageLimit(6_000)],
      [5_000, 'show', usageLimit(6_000)],
      [6_499, 'tick'],
      [6_600, hook('UserPromptSubmit')],
      [6_800, 'show', busy],
      [7_000, hook('Stop', { last_assistant_message: 'Done.' })],
    ],
    world: { turnFacts: [clean] },
    outcome: { status: 'done', reason: '1 commit(s), clean worktree' },
    actions: [`paused: usage limit until ${iso(6_500)}`, 'resumed: usage limit reset', 'input: continue'],
    inputs: ['continue'],
    states: ['working', 'paused', 'unknown', 'working', 'idle', 'done'],
    check: (d) => expect(d.lineTimes()).toEqual([6_500]),
  },
  {
    name: 'usage limit shown as paused with the reset time the screen named',
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(6_000)],
    ],
    check: (d) =>
      expect(d.effects).toContainEqual({
        type: 'emit',
        event: expect.objectContaining({ type: 'state', state: { kind: 'paused', until: new Date(6_000), via: 'screen', detail: 'usage limit reached' } }),
      }),
  },
  {
    name: 'usage limit without a reset time: waits the default, plus the margin',
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(undefined)],
    ],
    outcome: undefined,
    check: (d) => expect(d.state.timers.pause).toBe(4_000 + HOUR + 5_000),
  },
  {
    name: 'still limited after the time it named: checks again later instead of hammering it',
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(1_000)],
    ],
    actions: [`paused: usage limit until ${iso(4_000 + USAGE_RECHECK_MS + 5_000)}`],
    check: (d) => expect(d.state.timers.pause).toBe(4_000 + USAGE_RECHECK_MS + 5_000),
  },
  {
    name: 'the agent resumed by itself: the pause ends, nothing is typed',
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(60_000)],
      [10_000, 'show', busy],
      [29_000, 'tick'],
    ],
    outcome: undefined,
    actions: ['resumed: the agent resumed by itself'],
    inputs: [],
    check: (d) => expect(d.state.timers.pause).toBeUndefined(),
  },
  {
    name: 'the agent retrying by itself counts as working: the pause ends',
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(60_000)],
      [10_000, 'show', { kind: 'retrying', detail: 'Retrying in 5s' }],
    ],
    actions: ['resumed: the agent resumed by itself'],
    states: ['paused', 'unknown'],
  },
  {
    name: 'an exit during a pause shows as exited, not paused',
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(60_000)],
      [5_000, { type: 'exit', exitCode: 1, signal: undefined }],
    ],
    outcome: { status: 'failed', reason: 'the agent exited unexpectedly (code 1)' },
    states: ['paused', 'exited', 'failed'],
  },
  {
    name: 'a usage limit seen at a turn end pauses instead of judging the turn',
    steps: [
      [0, launched],
      [1_000, hook('StopFailure', { error: 'rate_limit' })],
    ],
    world: { screen: usageLimit(50_000) },
    outcome: undefined,
    actions: [`paused: usage limit until ${iso(55_000)}`],
    noActions: ['turn-end:'],
    check: (d) => expect(d.requests).toEqual(['classify']),
  },
  {
    name: 'a limit during an API retry wait: one "continue" after the reset covers both',
    steps: [
      [0, launched],
      [1_000, failure('rate_limit')],
      [4_000, 'show', usageLimit(10_000)],
      [20_000, 'tick'],
    ],
    outcome: undefined,
    actions: ['api-retry-wait: 30s', `paused: usage limit until ${iso(15_000)}`, 'resumed: usage limit reset', 'input: continue'],
    inputs: ['continue'],
  },
  {
    name: 'an old usage-limit text right after typing is not a new limit',
    steps: [
      [0, launched],
      [1_000, hook('Stop')],
      [1_000 + HOOK_SCREEN_CATCHUP_MS + STALE_SCREEN_GRACE_MS - 1, 'show', usageLimit(50_000)],
    ],
    world: { turnFacts: [{ dirty: false, newCommits: 0 }] },
    outcome: undefined,
    noActions: ['paused'],
    check: (d) => expect(d.states()).not.toContain('paused'),
  },
  {
    name: 'the same usage-limit text after the grace is a limit',
    steps: [
      [0, launched],
      [1_000, hook('Stop')],
      [1_000 + HOOK_SCREEN_CATCHUP_MS + STALE_SCREEN_GRACE_MS, 'show', usageLimit(50_000)],
    ],
    world: { turnFacts: [{ dirty: false, newCommits: 0 }] },
    actions: [`paused: usage limit until ${iso(55_000)}`],
  },
  {
    name: 'the answered limit still drawn long after "continue" (a slow redraw) is not a new limit: one "continue"',
    config: { policy: { usageResetMarginMs: 500 }, idleMs: 10 * 60_000, wallMs: 10 * 60_000 },
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(6_000)],
      [6_500, 'tick'],
      [6_500 + STALE_SCREEN_GRACE_MS + 5_000, 'show', usageLimit(6_000)],
      // Past the time a mistaken second pause (a recheck) would have sent "continue" again.
      [6_500 + STALE_SCREEN_GRACE_MS + 5_000 + USAGE_RECHECK_MS + 1_000, 'tick'],
    ],
    outcome: undefined,
    actions: [`paused: usage limit until ${iso(6_500)}`, 'resumed: usage limit reset', 'input: continue'],
    inputs: ['continue'],
    check: (d) => expect(d.actions().filter((a) => a.startsWith('paused'))).toHaveLength(1),
  },
  {
    name: 'the same limit text after the agent drew something else is a new limit',
    config: { policy: { usageResetMarginMs: 500 } },
    steps: [
      [0, launched],
      [4_000, 'show', usageLimit(6_000)],
      [6_500, 'tick'],
      [7_000, 'show', busy],
      [20_000, 'show', usageLimit(6_000)],
    ],
    outcome: undefined,
    actions: [`paused: usage limit until ${iso(6_500)}`, 'input: continue', `paused: usage limit until ${iso(20_000 + USAGE_RECHECK_MS + 500)}`],
  },
];

const retries: CoreRow[] = [
  {
    name: 'API error ending the turn: waits, sends a follow-up with backoff, never counts it as done',
    config: { policy: { apiRetryBaseMs: 200 } },
    steps: [
      [0, launched],
      [1_000, failure('rate_limit')],
      [2_000, failure('overloaded')],
      [3_000, hook('Stop')],
    ],
    world: { turnFacts: [clean] },
    outcome: { status: 'done', reason: '1 commit(s), clean worktree' },
    actions: ['turn-end:retry-later: api-error', 'api-retry-wait: 0s', `input: ${MESSAGES.apiRetry}`, 'turn-end:retry-later: api-error', 'turn-end:done: turn-end'],
    inputs: [MESSAGES.apiRetry, MESSAGES.apiRetry],
    check: (d) => expect(d.lineTimes()).toEqual([1_000 + HOOK_SCREEN_CATCHUP_MS + 200, 2_000 + HOOK_SCREEN_CATCHUP_MS + 400]),
  },
  {
    name: 'API error retried too often: fails with the error',
    config: { policy: { apiRetryBaseMs: 200, maxApiRetries: 1 } },
    steps: [
      [0, launched],
      [1_000, failure('overloaded')],
      [2_000, failure('overloaded')],
    ],
    outcome: { status: 'failed', reason: 'API error persisted after 1 retries: overloaded' },
  },
  {
    name: 'API error that no retry fixes: fails at once',
    steps: [
      [0, launched],
      [1_000, failure('authentication_failed')],
    ],
    outcome: { status: 'failed', reason: 'API error: authentication_failed' },
  },
  {
    name: 'API error seen on the screen only: judged the same way',
    steps: [
      [0, launched],
      [500, 'show', busy],
      [1_000, 'show', { kind: 'api-error', retryable: false, detail: 'invalid request' }],
      [3_500, 'show', { kind: 'api-error', retryable: false, detail: 'invalid request' }],
    ],
    outcome: { status: 'failed', reason: 'API error: invalid request' },
  },
];

const timeouts: CoreRow[] = [
  {
    name: 'hang: idle timeout after no output and no events',
    config: { idleMs: 1_500 },
    steps: [
      [0, launched],
      [2_000, 'tick'],
    ],
    outcome: { status: 'timeout', reason: 'idle timeout: no output and no events for 1500ms' },
    check: (d) => expect(d.effects.find((e) => e.type === 'settle')).toBeDefined(),
  },
  {
    name: 'output postpones the idle timeout',
    config: { idleMs: 1_500 },
    steps: [
      [0, launched],
      [1_000, output],
      [2_499, 'tick'],
    ],
    outcome: undefined,
    check: (d) => expect(d.state.timers.idle).toBe(2_500),
  },
  {
    name: 'busy for ever: wall-clock timeout',
    config: { wallMs: 2_000, idleMs: 20_000 },
    steps: [
      [0, launched],
      [500, output],
      [1_000, output],
      [1_500, output],
      [3_000, 'tick'],
    ],
    outcome: { status: 'timeout', reason: 'wall-clock timeout after 2s' },
  },
  {
    name: 'the wall clock stops during a usage-limit pause and goes on with what was left',
    config: { wallMs: 10_000, idleMs: 1_500 },
    steps: [
      [0, launched],
      [1_000, output],
      [2_000, output],
      [3_000, output],
      [4_000, 'show', usageLimit(60_000)],
      [65_000, output],
      [66_000, output],
      [66_500, 'tick'],
    ],
    outcome: undefined,
    check: (d) => expect(d.state.timers.wall).toBe(65_000 + 6_000),
  },
  {
    name: 'the idle timer stops during a usage-limit pause: silence is expected',
    config: { idleMs: 1_500 },
    steps: [
      [0, launched],
      [1_000, output],
      [2_000, output],
      [3_000, output],
      [4_000, 'show', usageLimit(60_000)],
      [10_000, output],
      [64_999, 'tick'],
    ],
    outcome: undefined,
    check: (d) => expect(d.state.timers.idle).toBe(undefined),
  },
  {
    name: 'the idle timer stops while ccwave waits for an API retry, and restarts when it types',
    config: { idleMs: 1_500 },
    steps: [
      [0, launched],
      [1_000, failure('rate_limit')],
      [20_000, output],
      [32_000, 'tick'],
    ],
    outcome: undefined,
    inputs: [MESSAGES.apiRetry],
    check: (d) => expect(d.state.timers.idle).toBe(1_000 + HOOK_SCREEN_CATCHUP_MS + 30_000 + 1_500),
  },
  {
    name: 'a timer firing for a due time no longer armed is ignored',
    steps: [
      [0, launched],
      [5, { type: 'timer', name: 'idle', dueAt: 5 }],
    ],
    outcome: undefined,
  },
];

describe('session core: usage limits', () => {
  it.each(usage)('$name', (row) => void playRow(row));
});

describe('session core: API errors', () => {
  it.each(retries)('$name', (row) => void playRow(row));
});

describe('session core: timeouts', () => {
  it.each(timeouts)('$name', (row) => void playRow(row));
});
