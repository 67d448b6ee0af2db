import type { CoreState } from './session-core-types.js';
import type { CoreEffect } from './session-core-types.js';
import { isTerminal, nextAgentState, sameAgentState, type AgentInput, type AgentState } from './state.js';

/**
 * The display state (`AgentState`) is a view of the core state: what was observed, except that a
 * usage-limit pause shows as paused for as long as the core pauses (the pause is its only record).
 */
export function viewOf(s: Pick<CoreState, 'observed' | 'pause'>): AgentState {
  const o = s.observed;
  if (!s.pause || o.kind === 'exited' || isTerminal(o)) return o;
  return { kind: 'paused', until: s.pause.resetAt, via: 'screen', detail: s.pause.detail };
}

/** Feeds an observation to the reducer; emits the view when it changed. */
export function observe(s: CoreState, fx: CoreEffect[], input: AgentInput): void {
  s.observed = nextAgentState(s.observed, input);
  showView(s, fx);
}

/** Emits the view exactly when it differs from the one last shown. */
export function showView(s: CoreState, fx: CoreEffect[]): void {
  const view = viewOf(s);
  if (sameAgentState(s.shown, view)) return;
  fx.push({ type: 'emit', event: { type: 'state', state: view, previous: s.shown } });
  s.shown = view;
}
