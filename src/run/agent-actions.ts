import type { SessionAction } from '../agent/session-types.js';
import type { AgentAction } from '../journal/events.js';

/**
 * Which of the session's `action` events are journaled, and as what. Left out: `finish` (the
 * task's outcome is `task-finished`), `input` (the typing of a follow-up already journaled as the
 * nudge, commit request, API retry or resume that caused it), and the turn ends that only lead to
 * another record: `done`/`fail` end the task, `auto-commit` is journaled with its commit's sha and
 * `retry-later` as `api-retry` with its delay. Only a nudge and a request to commit are known by
 * their turn end alone.
 */
const JOURNALED: Readonly<Partial<Record<SessionAction, AgentAction>>> = {
  'turn-end:nudge': 'nudge',
  'turn-end:ask-commit': 'ask-commit',
  dialog: 'dialog',
  'auto-commit': 'auto-commit',
  'api-retry-wait': 'api-retry',
  paused: 'paused',
  resumed: 'resumed',
  'waiting-for-human': 'waiting-for-human',
  resume: 'session-resumed',
};

/** The journal's name for a session action, or undefined when it is not journaled. */
export function journaledAction(action: SessionAction): AgentAction | undefined {
  return Object.hasOwn(JOURNALED, action) ? JOURNALED[action] : undefined;
}
