import { describe, expect, it } from 'vitest';
import { decideAfterTurn, MESSAGES, type TurnCounters, type TurnDecision, type TurnFacts, type TurnLimits } from '../../src/agent/turn-policy.js';

const LIMITS: TurnLimits = { commitPolicy: 'ask', maxNudges: 2, maxCommitRequests: 2, maxApiRetries: 3, apiRetryBaseMs: 1000, apiRetryMaxMs: 5000 };
const FRESH: TurnCounters = { nudges: 0, commitRequests: 0, apiRetries: 0 };
const facts = (over: Partial<TurnFacts>): TurnFacts => ({
  cause: 'turn-end',
  dirty: false,
  newCommits: 0,
  lastMessage: 'Which database should I use?',
  permissionDenied: false,
  verifyFailure: undefined,
  ...over,
});

const TABLE: Array<[name: string, facts: TurnFacts, counters: TurnCounters, limits: TurnLimits, expected: TurnDecision]> = [
  ['commits and a clean tree → done', facts({ newCommits: 2 }), FRESH, LIMITS, { action: 'done' }],
  ['uncommitted changes → ask to commit', facts({ dirty: true, newCommits: 1 }), FRESH, LIMITS, { action: 'ask-commit', message: MESSAGES.commit }],
  ['uncommitted, auto policy → commit for it', facts({ dirty: true }), FRESH, { ...LIMITS, commitPolicy: 'auto' }, { action: 'auto-commit', message: MESSAGES.autoCommit }],
  [
    'still uncommitted after the requests → fail',
    facts({ dirty: true }),
    { ...FRESH, commitRequests: 2 },
    LIMITS,
    { action: 'fail', reason: 'uncommitted changes left in the worktree after 2 requests to commit' },
  ],
  ['nothing done → nudge', facts({}), FRESH, LIMITS, { action: 'nudge', message: MESSAGES.nudge }],
  [
    'nothing done after the nudges → needs attention, with the last message',
    facts({}),
    { ...FRESH, nudges: 2 },
    LIMITS,
    { action: 'fail', reason: 'needs attention: no commits after 2 nudges. Last message: Which database should I use?' },
  ],
  ['denied permission → say so', facts({ permissionDenied: true }), FRESH, LIMITS, { action: 'nudge', message: MESSAGES.denied }],
  ['interrupted turn with commits → continue first', facts({ cause: 'interrupted', newCommits: 1 }), FRESH, LIMITS, { action: 'nudge', message: MESSAGES.interrupted }],
  ['interrupted, out of nudges, with commits → done', facts({ cause: 'interrupted', newCommits: 1 }), { ...FRESH, nudges: 2 }, LIMITS, { action: 'done' }],
  [
    'retryable API error → wait and retry',
    facts({ cause: 'api-error', apiError: { retryable: true, detail: '429' } }),
    FRESH,
    LIMITS,
    { action: 'retry-later', delayMs: 1000, message: MESSAGES.apiRetry },
  ],
  [
    'API error backoff doubles, capped',
    facts({ cause: 'api-error', apiError: { retryable: true, detail: '429' } }),
    { ...FRESH, apiRetries: 2 },
    { ...LIMITS, maxApiRetries: 9 },
    { action: 'retry-later', delayMs: 4000, message: MESSAGES.apiRetry },
  ],
  [
    'API error is never done, even with commits',
    facts({ cause: 'api-error', newCommits: 3, apiError: { retryable: true, detail: '429' } }),
    FRESH,
    LIMITS,
    { action: 'retry-later', delayMs: 1000, message: MESSAGES.apiRetry },
  ],
  [
    'API errors persist → fail',
    facts({ cause: 'api-error', apiError: { retryable: true, detail: '429' } }),
    { ...FRESH, apiRetries: 3 },
    LIMITS,
    { action: 'fail', reason: 'API error persisted after 3 retries: 429' },
  ],
  [
    'non-retryable API error → fail',
    facts({ cause: 'api-error', apiError: { retryable: false, detail: 'Prompt is too long' } }),
    FRESH,
    LIMITS,
    { action: 'fail', reason: 'API error: Prompt is too long' },
  ],
  ['verify still failing → nudge with its output', facts({ newCommits: 1, verifyFailure: 'FAIL x.test' }), FRESH, LIMITS, { action: 'nudge', message: MESSAGES.verify('FAIL x.test') }],
  ['verify still failing after nudges → fail', facts({ newCommits: 1, verifyFailure: 'FAIL' }), { ...FRESH, nudges: 2 }, LIMITS, { action: 'fail', reason: 'the verify command still fails' }],
];

describe('decideAfterTurn', () => {
  it.each(TABLE)('%s', (_name, f, counters, limits, expected) => {
    expect(decideAfterTurn(f, counters, limits)).toEqual(expected);
  });
});
