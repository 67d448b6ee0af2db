import type { IdleCause } from './state.js';

/**
 * What to do when the agent's turn has ended, from what the worktree and the session show. Pure.
 * The order matters: an API error is retried before anything is judged; uncommitted work is
 * collected before "nothing done" is concluded; a task is done only with new commits and a clean tree.
 */
export interface TurnFacts {
  cause: IdleCause;
  /** For `api-error`: whether resending later may work, and what the agent said. */
  apiError?: { retryable: boolean; detail: string };
  dirty: boolean;
  newCommits: number;
  lastMessage: string | undefined;
  /** A permission prompt was answered "no" by policy during this turn. */
  permissionDenied: boolean;
  /** The verify command's output when it still failed at the end of the turn. */
  verifyFailure: string | undefined;
}

export interface TurnCounters {
  nudges: number;
  commitRequests: number;
  apiRetries: number;
}

export interface TurnLimits {
  commitPolicy: 'ask' | 'auto';
  maxNudges: number;
  maxCommitRequests: number;
  maxApiRetries: number;
  /** First wait after an API error; doubles each time up to `apiRetryMaxMs`. */
  apiRetryBaseMs: number;
  apiRetryMaxMs: number;
}

export type TurnDecision =
  | { action: 'done' }
  | { action: 'ask-commit'; message: string }
  | { action: 'auto-commit'; message: string }
  | { action: 'nudge'; message: string }
  | { action: 'retry-later'; delayMs: number; message: string }
  | { action: 'fail'; reason: string };

export const MESSAGES = {
  nudge:
    'Nobody will answer questions in this session. Decide for yourself, note your assumptions in the ' +
    'commit message, and continue until the acceptance criteria are met. Commit your work when done.',
  commit: 'There are uncommitted changes in the worktree. Review them and commit them with a clear message ' + '(git add, git commit). Work that is not committed is lost.',
  denied: 'That action was denied by the permission policy of this unattended run. Continue the task without ' + 'it (find another way if needed) and commit your work.',
  interrupted: 'Your last step was interrupted. Continue the task and commit your work when done.',
  apiRetry: 'Please continue where you left off.',
  autoCommit: 'ccwave: commit work the agent left uncommitted',
  verify: (output: string): string => 'The verify command still fails. Fix the cause and commit. Its output ends with:\n' + output.slice(-2000),
} as const;

export function decideAfterTurn(facts: TurnFacts, counters: TurnCounters, limits: TurnLimits): TurnDecision {
  if (facts.cause === 'api-error') {
    const apiError = facts.apiError ?? { retryable: true, detail: 'API error' };
    if (!apiError.retryable) return { action: 'fail', reason: `API error: ${apiError.detail}` };
    if (counters.apiRetries >= limits.maxApiRetries) {
      return { action: 'fail', reason: `API error persisted after ${counters.apiRetries} retries: ${apiError.detail}` };
    }
    const delayMs = Math.min(limits.apiRetryBaseMs * 2 ** counters.apiRetries, limits.apiRetryMaxMs);
    return { action: 'retry-later', delayMs, message: MESSAGES.apiRetry };
  }
  const canNudge = counters.nudges < limits.maxNudges;
  if (facts.cause === 'interrupted' && canNudge) {
    return { action: 'nudge', message: facts.permissionDenied ? MESSAGES.denied : MESSAGES.interrupted };
  }
  if (facts.dirty) {
    if (limits.commitPolicy === 'auto') return { action: 'auto-commit', message: MESSAGES.autoCommit };
    if (counters.commitRequests < limits.maxCommitRequests) return { action: 'ask-commit', message: MESSAGES.commit };
    return {
      action: 'fail',
      reason: `uncommitted changes left in the worktree after ${counters.commitRequests} requests to commit`,
    };
  }
  if (facts.verifyFailure !== undefined) {
    if (canNudge) return { action: 'nudge', message: MESSAGES.verify(facts.verifyFailure) };
    return { action: 'fail', reason: 'the verify command still fails' };
  }
  if (facts.newCommits > 0) return { action: 'done' };
  if (canNudge) return { action: 'nudge', message: facts.permissionDenied ? MESSAGES.denied : MESSAGES.nudge };
  const last = facts.lastMessage ? ` Last message: ${facts.lastMessage}` : '';
  return { action: 'fail', reason: `needs attention: no commits after ${counters.nudges} nudges.${last}` };
}
