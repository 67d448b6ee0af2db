import { INPUT_UNANSWERED_MS, SCREEN_IDLE_CONFIRM_MS } from './session-timing.js';

/**
 * When does a turn end? The Stop hook says so directly; the screen says so only after the idle
 * prompt has shown for a while, and only for a turn that began (work was seen) or whose input went
 * unanswered for long. Each turn's end is handled once. Pure: each rule returns the next state.
 */
export interface TurnState {
  /** A turn is under way (prompt given or input typed) and its end has not been handled. */
  awaiting: boolean;
  sawWork: boolean;
  inputAt: number;
  idleSince: number | undefined;
}

/** ccwave launched the agent with its prompt or typed a message: a new turn starts. */
export function inputSent(now: number): TurnState {
  return { awaiting: true, sawWork: false, inputAt: now, idleSince: undefined };
}

/** The agent took a prompt (its own or typed by a person) or was seen working. */
export function workSeen(turn: TurnState, submitted = false): TurnState {
  return { ...turn, sawWork: true, awaiting: submitted ? true : turn.awaiting };
}

export function notIdle(turn: TurnState): TurnState {
  return { ...turn, idleSince: undefined };
}

/** The screen shows the idle prompt now: `ends` when that has lasted long enough to end the turn. */
export function idleScreenEndsTurn(turn: TurnState, now: number): { turn: TurnState; ends: boolean } {
  if (!turn.awaiting) return { turn, ends: false };
  const idleSince = turn.idleSince ?? now;
  const needed = turn.sawWork ? SCREEN_IDLE_CONFIRM_MS : INPUT_UNANSWERED_MS;
  return { turn: { ...turn, idleSince }, ends: now - idleSince >= needed && now - turn.inputAt >= needed };
}

/** Claims the current turn's end; `claimed` is false when it was already handled. */
export function claimEnd(turn: TurnState): { turn: TurnState; claimed: boolean } {
  if (!turn.awaiting) return { turn, claimed: false };
  return { turn: { ...turn, awaiting: false, idleSince: undefined }, claimed: true };
}

/** Nothing to wait for (e.g. a usage-limit pause took over the turn). */
export function stopAwaiting(turn: TurnState): TurnState {
  return { ...turn, awaiting: false };
}
