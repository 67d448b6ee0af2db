import type { HookEvent } from './hook-event.js';
import type { ScreenClass } from './screen-class.js';

/**
 * What one agent is doing, as far as it was observed. Pure: `nextAgentState(state, input)`.
 *
 *   starting → working ⇄ waiting(reason) → idle(turn ended) → done | failed
 *                  ↘ paused(usage limit until T) ↗        exited(code) → done | failed
 *
 * `unknown` is a state: the screen stopped matching any rule and no hook said otherwise. A state
 * learnt from a hook is not overwritten by an unrecognised screen (hooks are the reliable signal);
 * a state learnt from the screen is.
 */
export type StateSource = 'hook' | 'screen' | 'exit' | 'timer' | 'runner';

export type WaitReason = 'permission' | 'trust-dialog' | 'bypass-warning' | 'api-key' | 'hooks-review' | 'notice' | 'input';

export type IdleCause = 'turn-end' | 'api-error' | 'interrupted';

export type AgentState =
  | { kind: 'starting' }
  | { kind: 'working'; via: StateSource; detail?: string }
  | { kind: 'waiting'; reason: WaitReason; via: StateSource; detail?: string }
  | { kind: 'idle'; cause: IdleCause; via: StateSource; detail?: string }
  | { kind: 'paused'; until: Date | undefined; via: StateSource; detail?: string }
  | { kind: 'exited'; exitCode: number; signal: number | undefined }
  | { kind: 'unknown' }
  | { kind: 'done' }
  | { kind: 'failed'; reason: string };

export type AgentInput =
  | { type: 'hook'; event: HookEvent }
  | { type: 'screen'; screen: ScreenClass }
  | { type: 'exit'; exitCode: number; signal?: number | undefined }
  /** The usage-limit pause ran out; until the agent is seen again nothing is known. */
  | { type: 'timer'; timer: 'pause-over' }
  /** The runner decided: these end the task. */
  | { type: 'finish' }
  | { type: 'fail'; reason: string };

export const INITIAL_STATE: AgentState = { kind: 'starting' };

export function isTerminal(state: AgentState): boolean {
  return state.kind === 'done' || state.kind === 'failed';
}

export function nextAgentState(state: AgentState, input: AgentInput): AgentState {
  if (isTerminal(state)) return state;
  switch (input.type) {
    case 'finish':
      return { kind: 'done' };
    case 'fail':
      return { kind: 'failed', reason: input.reason };
    case 'exit':
      return { kind: 'exited', exitCode: input.exitCode, signal: input.signal };
    case 'timer':
      return state.kind === 'paused' ? { kind: 'unknown' } : state;
    case 'hook':
      return state.kind === 'exited' ? state : fromHook(state, input.event);
    case 'screen':
      return state.kind === 'exited' ? state : fromScreen(state, input.screen);
  }
}

function fromHook(state: AgentState, event: HookEvent): AgentState {
  switch (event.hook_event_name) {
    case 'UserPromptSubmit':
      return { kind: 'working', via: 'hook' };
    case 'Stop':
      if (event.ccwave_verify?.blocked) return { kind: 'working', via: 'hook', detail: 'verify failed; continuing' };
      return { kind: 'idle', cause: 'turn-end', via: 'hook', detail: event.last_assistant_message };
    case 'StopFailure':
      // At a usage limit the turn also fails with rate_limit: the limit is the better description.
      if (state.kind === 'paused') return state;
      return { kind: 'idle', cause: 'api-error', via: 'hook', detail: event.error };
    case 'Notification':
      if (event.notification_type === 'permission_prompt') {
        return { kind: 'waiting', reason: 'permission', via: 'hook', detail: event.message };
      }
      if (event.notification_type === 'idle_prompt' && state.kind !== 'idle') {
        return { kind: 'idle', cause: 'turn-end', via: 'hook' };
      }
      return state;
    default:
      // SessionStart, SessionEnd and others say nothing about working or waiting.
      return state;
  }
}

const DIALOG_REASONS: Partial<Record<ScreenClass['kind'], WaitReason>> = {
  'trust-dialog': 'trust-dialog',
  'bypass-warning': 'bypass-warning',
  'api-key-prompt': 'api-key',
  'hooks-review': 'hooks-review',
  'permission-prompt': 'permission',
  notice: 'notice',
};

function fromScreen(state: AgentState, screen: ScreenClass): AgentState {
  const reason = DIALOG_REASONS[screen.kind];
  if (reason) return { kind: 'waiting', reason, via: 'screen' };
  switch (screen.kind) {
    case 'busy':
      return { kind: 'working', via: 'screen' };
    case 'retrying':
      return { kind: 'working', via: 'screen', detail: screen.detail };
    case 'usage-limit':
      return { kind: 'paused', until: screen.resetAt, via: 'screen', detail: screen.detail };
    case 'api-error':
      // The StopFailure hook names the error more precisely: keep it.
      if (state.kind === 'idle' && state.cause === 'api-error') return state;
      return { kind: 'idle', cause: 'api-error', via: 'screen', detail: screen.detail };
    case 'idle':
      // The input box shows before the first prompt is taken: that is not a finished turn.
      if (state.kind === 'starting') return state;
      // A hook already said how the turn ended (with the agent's last message): keep that.
      if (state.kind === 'idle') return state;
      return { kind: 'idle', cause: screen.interrupted ? 'interrupted' : 'turn-end', via: 'screen' };
    case 'session-in-use':
    case 'session-not-found':
      // The process is about to exit; its exit is the observation that counts.
      return state;
    default:
      if (state.kind === 'starting') return state;
      return 'via' in state && state.via === 'hook' ? state : { kind: 'unknown' };
  }
}

/** Same state for a display: where it was learnt from does not count as a change. */
export function sameAgentState(a: AgentState, b: AgentState): boolean {
  const strip = (s: AgentState): unknown => ('via' in s ? { ...s, via: undefined } : s);
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
