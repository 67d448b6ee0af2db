import { NO_DIALOG_YET, respondToDialog } from './dialog-responder.js';
import { isRetryableApiError, type HookEvent } from './hook-event.js';
import type { ScreenClass } from './screen-class.js';
import type { CoreConfig, CoreEffect, CoreInput, CoreState, TimerName } from './session-core-types.js';
import { activityObserved, endPause, idleTimeoutReason, restartIdle, restartWall, setWaiting, startPause, wallTimeoutReason, waitForHuman, type Ctx } from './session-hold.js';
import { STALE_SCREEN_GRACE_MS } from './session-timing.js';
import { autoCommitted, CONTINUE_MESSAGE, exitJudged, exitScreenSeen, finish, inputBoxReady, judgeTurn, sendFollowUp, turnEnded, turnScreenSeen, verified, worktreeChecked } from './session-turn.js';
import { observe } from './session-view.js';
import { INITIAL_STATE } from './state.js';
import { idleScreenEndsTurn, inputSent, notIdle, workSeen } from './turn-tracker.js';

export { CONTINUE_MESSAGE, UNRELATED_HISTORY, WORKTREE_DELETED } from './session-turn.js';

/**
 * The agent session as a pure state machine: `step(state, input, now) → { state, effects }`.
 * No I/O, no timers, no clock of its own: the shell feeds it one input at a time (hooks, screen
 * reads, the exit, timers, abort, and the answers to its requests) and carries out its effects.
 */
export function initialCoreState(config: CoreConfig, now: number): CoreState {
  return {
    config,
    observed: INITIAL_STATE,
    shown: INITIAL_STATE,
    screen: { kind: 'unknown' },
    activity: undefined,
    turn: inputSent(now),
    dialog: NO_DIALOG_YET,
    counters: { nudges: 0, commitRequests: 0, apiRetries: 0 },
    pause: undefined,
    answeredLimit: undefined,
    waiting: { retry: false, human: false },
    retryMessage: undefined,
    timers: {},
    wallRemainingMs: undefined,
    pending: undefined,
    permissionDenied: false,
    verifyFailure: undefined,
    lastMessage: undefined,
    transcriptPath: undefined,
    sessionNotFound: false,
    outcome: undefined,
  };
}

export function step(state: CoreState, input: CoreInput, now: number): { state: CoreState; effects: CoreEffect[] } {
  const c: Ctx = { s: { ...state }, fx: [], now };
  const pending = c.s.pending;
  c.s.pending = undefined;
  dispatch(c, input, pending);
  return { state: c.s, effects: c.fx };
}

function dispatch(c: Ctx, input: CoreInput, pending: CoreState['pending']): void {
  const { s } = c;
  switch (input.type) {
    case 'launched':
      c.fx.push({ type: 'emit', event: { type: 'launch', argv: input.argv, pid: input.pid, resumed: s.config.resumed } });
      s.turn = inputSent(c.now);
      restartWall(c);
      restartIdle(c);
      return;
    case 'launch-failed':
      return finish(c, 'failed', `could not start the agent: ${input.message}`);
    case 'output':
      return activityObserved(c);
    case 'hook':
      return onHook(c, input.event);
    case 'screen':
      return onScreenRead(c, input.screen, input.activity);
    case 'exit':
      observe(s, c.fx, { type: 'exit', exitCode: input.exitCode, signal: input.signal });
      if (s.outcome) return;
      s.pending = { kind: 'exit-screen', exit: { exitCode: input.exitCode, signal: input.signal } };
      // Its last words (e.g. "Session ID … is already in use") may not have been read yet.
      c.fx.push({ type: 'classify', afterMs: 0 });
      return;
    case 'timer':
      return onTimer(c, input.name, input.dueAt);
    case 'abort':
      return finish(c, 'interrupted', 'interrupted');
    case 'host-failure':
      return finish(c, 'failed', input.reason);
    case 'classified':
      if (input.screen) s.screen = input.screen;
      if (pending?.kind === 'turn-screen') return turnScreenSeen(c, pending.cause, pending.apiError);
      if (pending?.kind === 'exit-screen') return exitScreenSeen(c, pending.exit, input.lastLine);
      return;
    case 'turn-facts':
      if (pending?.kind === 'turn-facts') judgeTurn(c, input, pending.cause, pending.apiError);
      return;
    case 'committed':
      if (pending?.kind === 'auto-commit') autoCommitted(c, input.sha);
      return;
    case 'input-ready':
      if (pending?.kind === 'follow-up') inputBoxReady(c, pending.message, input.hostAlive);
      return;
    case 'exit-judged':
      if (pending?.kind === 'exit-judgement') exitJudged(c, input);
      return;
    case 'verified':
      if (pending?.kind === 'verify') verified(c, input, pending.judged);
      return;
    case 'worktree-checked':
      if (pending?.kind === 'finish') worktreeChecked(c, input);
      return;
  }
}

function onTimer(c: Ctx, name: TimerName, dueAt: number): void {
  const { s } = c;
  // Only the timer as last armed counts: one replaced while its firing was queued is stale.
  if (s.outcome || s.timers[name] !== dueAt) return;
  const { [name]: _fired, ...rest } = s.timers;
  s.timers = rest;
  switch (name) {
    case 'wall':
      return finish(c, 'timeout', wallTimeoutReason(s.config.wallMs));
    case 'idle':
      return finish(c, 'timeout', idleTimeoutReason(s.config.idleMs));
    case 'pause':
      endPause(c, 'usage limit reset');
      return sendFollowUp(c, CONTINUE_MESSAGE);
    case 'api-retry':
      setWaiting(c, 'retry', false);
      if (s.pause || s.retryMessage === undefined) return;
      return sendFollowUp(c, s.retryMessage);
  }
}

function onHook(c: Ctx, event: HookEvent): void {
  const { s } = c;
  if (s.outcome) return;
  activityObserved(c);
  s.transcriptPath = event.transcript_path ?? s.transcriptPath;
  if (event.last_assistant_message) s.lastMessage = event.last_assistant_message;
  observe(s, c.fx, { type: 'hook', event });
  switch (event.hook_event_name) {
    case 'UserPromptSubmit':
      s.turn = workSeen(s.turn, true);
      return;
    case 'Stop': {
      const verify = event.ccwave_verify;
      if (verify?.blocked) return;
      s.verifyFailure = verify && !verify.ok ? (verify.output ?? '') : undefined;
      return turnEnded(c, 'turn-end');
    }
    case 'StopFailure':
      return turnEnded(c, 'api-error', {
        retryable: isRetryableApiError(event.error),
        detail: event.last_assistant_message ?? event.error ?? 'API error',
      });
    default:
      return;
  }
}

function onScreenRead(c: Ctx, screen: ScreenClass | undefined, activity: string | undefined): void {
  const { s } = c;
  if (s.outcome) return;
  if (activity && activity !== s.activity) {
    s.activity = activity;
    c.fx.push({ type: 'emit', event: { type: 'activity', line: activity } });
  }
  if (!screen) return;
  s.screen = screen;
  // After typing, the old turn's usage-limit text is still on the screen for a moment, and the
  // limit already answered stays until the agent draws anything else.
  const stale = screen.kind === 'usage-limit' && (screen.detail === s.answeredLimit || c.now - s.turn.inputAt < STALE_SCREEN_GRACE_MS);
  if (!s.pause && screen.kind !== 'usage-limit' && screen.kind !== 'unknown') s.answeredLimit = undefined;
  // A usage limit is shown through the pause it starts, never straight from the screen.
  if (!s.pause && screen.kind !== 'usage-limit') observe(s, c.fx, { type: 'screen', screen });
  onScreen(c, screen, stale);
}

function onScreen(c: Ctx, screen: ScreenClass, stale: boolean): void {
  const { s } = c;
  if (screen.kind !== 'idle' && screen.kind !== 'api-error') s.turn = notIdle(s.turn);
  const policy = { permission: s.config.policy.permission, acceptTrustDialog: s.config.policy.acceptTrustDialog, bypassesPermissions: s.config.bypassesPermissions };
  const { memory, response } = respondToDialog(s.dialog, screen, policy, c.now);
  s.dialog = memory;
  switch (response.kind) {
    case 'fail':
      return finish(c, 'failed', response.reason);
    case 'wait':
      return waitForHuman(c, response.note);
    case 'pressed':
      c.fx.push({ type: 'keys', keys: response.keys });
      if (screen.kind === 'permission-prompt' && policy.permission === 'deny') s.permissionDenied = true;
      c.fx.push({ type: 'emit', event: { type: 'action', action: 'dialog', detail: response.note } });
      return;
    case 'settling':
      return;
    case 'none':
      break;
  }
  if (s.waiting.human) setWaiting(c, 'human', false);
  switch (screen.kind) {
    case 'busy':
    case 'retrying':
      s.turn = workSeen(s.turn);
      // Some versions continue by themselves once the limit resets.
      if (s.pause) endPause(c, 'the agent resumed by itself');
      return;
    case 'usage-limit':
      if (!s.pause && !stale) startPause(c, screen.resetAt, screen.detail);
      return;
    case 'idle':
    case 'api-error': {
      // The screen fallback for turn ends: used when no Stop hook came (interrupts, no hooks).
      if (s.pause) return;
      const judged = idleScreenEndsTurn(s.turn, c.now);
      s.turn = judged.turn;
      if (!judged.ends) return;
      if (screen.kind === 'api-error') return turnEnded(c, 'api-error', { retryable: screen.retryable, detail: screen.detail });
      return turnEnded(c, screen.interrupted ? 'interrupted' : 'turn-end');
    }
    default:
      return;
  }
}
