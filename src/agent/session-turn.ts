import { formatDuration } from '../format/duration.js';
import type { ApiErrorFacts, CoreInput, CoreState, Outcome } from './session-core-types.js';
import type { SessionAction } from './session-types.js';
import { clearAllTimers, restartIdle, setTimer, setWaiting, startPause, type Ctx } from './session-hold.js';
import { HOOK_SCREEN_CATCHUP_MS } from './session-timing.js';
import { observe } from './session-view.js';
import type { IdleCause } from './state.js';
import { claimEnd, inputSent } from './turn-tracker.js';
import { decideAfterTurn } from './turn-policy.js';

/** Sent when a usage limit has reset, and to a session resumed because its id was taken. */
export const CONTINUE_MESSAGE = 'continue';

export const WORKTREE_DELETED = 'its worktree was deleted while it ran';
export const UNRELATED_HISTORY = 'its branch no longer contains the commit it started from (history rewritten)';

type Answer<T extends CoreInput['type']> = Extract<CoreInput, { type: T }>;

const emitAction = (c: Ctx, action: SessionAction, detail?: string): void => {
  c.fx.push({ type: 'emit', event: { type: 'action', action, ...(detail !== undefined ? { detail } : {}) } });
};

// ---- a turn's end ---------------------------------------------------------------------------

/** The turn ended (by hook or by screen): look at the screen once it caught up, then judge. */
export function turnEnded(c: Ctx, cause: IdleCause, apiError?: ApiErrorFacts): void {
  if (c.s.outcome) return;
  const claim = claimEnd(c.s.turn);
  c.s.turn = claim.turn;
  if (!claim.claimed) return;
  c.s.pending = { kind: 'turn-screen', cause, apiError };
  c.fx.push({ type: 'classify', afterMs: HOOK_SCREEN_CATCHUP_MS });
}

export function turnScreenSeen(c: Ctx, cause: IdleCause, apiError: ApiErrorFacts | undefined): void {
  // A usage limit also ends the turn (often with a rate-limit StopFailure): wait it out instead.
  if (c.s.pause) return;
  if (c.s.screen.kind === 'usage-limit') return startPause(c, c.s.screen.resetAt, c.s.screen.detail);
  c.s.pending = { kind: 'turn-facts', cause, apiError };
  c.fx.push({ type: 'probe-turn' });
}

export function judgeTurn(c: Ctx, facts: Answer<'turn-facts'>, cause: IdleCause, apiError: ApiErrorFacts | undefined): void {
  const { s } = c;
  const decision = decideAfterTurn(
    {
      cause,
      ...(apiError ? { apiError } : {}),
      dirty: facts.dirty,
      newCommits: facts.newCommits,
      lastMessage: s.lastMessage,
      permissionDenied: s.permissionDenied,
      verifyFailure: s.verifyFailure,
    },
    s.counters,
    s.config.policy,
  );
  emitAction(c, `turn-end:${decision.action}`, cause);
  switch (decision.action) {
    case 'done':
      return finish(c, 'done', `${facts.newCommits} commit(s), clean worktree`);
    case 'fail':
      return finish(c, 'failed', decision.reason);
    case 'auto-commit':
      s.pending = { kind: 'auto-commit' };
      c.fx.push({ type: 'commit', message: decision.message });
      return;
    case 'ask-commit':
      s.counters = { ...s.counters, commitRequests: s.counters.commitRequests + 1 };
      return sendFollowUp(c, decision.message);
    case 'nudge':
      s.counters = { ...s.counters, nudges: s.counters.nudges + 1 };
      s.permissionDenied = false;
      return sendFollowUp(c, decision.message);
    case 'retry-later':
      s.counters = { ...s.counters, apiRetries: s.counters.apiRetries + 1 };
      setWaiting(c, 'retry', true);
      emitAction(c, 'api-retry-wait', formatDuration(decision.delayMs));
      s.retryMessage = decision.message;
      setTimer(c, 'api-retry', c.now + decision.delayMs);
      return;
  }
}

export function autoCommitted(c: Ctx, sha: string): void {
  emitAction(c, 'auto-commit', sha);
  finish(c, 'done', 'uncommitted work committed by ccwave');
}

// ---- typing -----------------------------------------------------------------------------------

/** Types a message once the input box is ready, and starts waiting for the turn it begins. */
export function sendFollowUp(c: Ctx, message: string): void {
  if (c.s.outcome) return;
  c.s.pending = { kind: 'follow-up', message };
  c.fx.push({ type: 'wait-input-box' });
}

export function inputBoxReady(c: Ctx, message: string, hostAlive: boolean): void {
  if (c.s.outcome || !hostAlive) return;
  c.s.turn = inputSent(c.now);
  c.s.verifyFailure = undefined;
  restartIdle(c);
  emitAction(c, 'input', message);
  c.fx.push({ type: 'line', text: message });
}

// ---- exits ------------------------------------------------------------------------------------

/** After the exit, its last words are on the screen (e.g. "Session ID … is already in use"). */
export function exitScreenSeen(c: Ctx, exit: { exitCode: number; signal: number | undefined }, lastLine: string | undefined): void {
  const { s } = c;
  if (s.config.completion === 'exit') {
    s.pending = { kind: 'exit-judgement' };
    c.fx.push({ type: 'judge-exit', exitCode: exit.exitCode, signal: exit.signal });
    return;
  }
  if (s.screen.kind === 'session-in-use' && !s.config.resumed) return finish(c, 'relaunch-resume', 'session id already in use');
  if (s.screen.kind === 'session-not-found' && s.config.resumed) {
    s.sessionNotFound = true;
    return finish(c, 'failed', 'the session to resume does not exist');
  }
  const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.exitCode}`;
  return finish(c, 'failed', `the agent exited unexpectedly (${how})${lastLine ? `: ${lastLine}` : ''}`);
}

export function exitJudged(c: Ctx, { judgement }: Answer<'exit-judged'>): void {
  if (judgement.autoCommit) emitAction(c, 'auto-commit', judgement.autoCommit);
  const verify = c.s.config.verifyCommand;
  if (judgement.status !== 'done' || verify === undefined) return finish(c, judgement.status, judgement.reason);
  c.fx.push({ type: 'emit', event: { type: 'activity', line: `verify: ${verify}` } });
  c.s.pending = { kind: 'verify', judged: judgement.reason };
  c.fx.push({ type: 'verify' });
}

export function verified(c: Ctx, { result }: Answer<'verified'>, judged: string): void {
  if (result === 'interrupted') return finish(c, 'interrupted', 'interrupted');
  return finish(c, result.status, result.status === 'done' ? `${judged}, verify passed` : result.reason);
}

// ---- the end ----------------------------------------------------------------------------------

/** Ends the task: checks the worktree first, since what happened to it may explain the end better. */
export function finish(c: Ctx, status: Outcome['status'], reason: string): void {
  if (c.s.outcome) return;
  c.s.outcome = { status, reason };
  c.s.pending = { kind: 'finish' };
  c.fx.push({ type: 'check-worktree', needsBase: status === 'done' });
}

export function worktreeChecked(c: Ctx, { exists, containsBase }: Answer<'worktree-checked'>): void {
  const s: CoreState = c.s;
  const outcome = s.outcome!;
  if (!exists) {
    // git cannot even run there: say so instead of the error that follows from it.
    s.outcome = { status: outcome.status === 'interrupted' ? 'interrupted' : 'failed', reason: WORKTREE_DELETED };
  } else if (outcome.status === 'done' && !containsBase) {
    // Work on a rewritten history (another root, a reset past the fork) cannot be merged as is.
    s.outcome = { status: 'failed', reason: UNRELATED_HISTORY };
  }
  const final = s.outcome!;
  clearAllTimers(c);
  emitAction(c, 'finish', `${final.status}: ${final.reason}`);
  // Typed input only works at an interactive agent's prompt; a busy or hung one gets the signals
  // (Claude saves its transcript on SIGTERM, so the session stays resumable).
  const polite = s.config.politeStop && (s.config.completion === 'exit' || s.screen.kind === 'idle');
  c.fx.push({ type: 'stop-agent', polite });
  observe(s, c.fx, final.status === 'done' ? { type: 'finish' } : { type: 'fail', reason: final.reason });
  c.fx.push({ type: 'settle', outcome: final });
}
