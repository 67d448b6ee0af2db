import { describe, expect, it } from 'vitest';
import type { SessionAction } from '../../src/agent/session-types.js';
import { AGENT_ACTIONS } from '../../src/journal/events.js';
import { journaledAction } from '../../src/run/agent-actions.js';

/** The session's action strings, and what the journal records for each. */
const cases: Array<[session: SessionAction, journaled: string | undefined]> = [
  ['turn-end:nudge', 'nudge'],
  ['turn-end:ask-commit', 'ask-commit'],
  ['dialog', 'dialog'],
  ['auto-commit', 'auto-commit'],
  ['api-retry-wait', 'api-retry'],
  ['paused', 'paused'],
  ['resumed', 'resumed'],
  ['waiting-for-human', 'waiting-for-human'],
  ['resume', 'session-resumed'],
  // The task's outcome, or a record made under another name.
  ['finish', undefined],
  ['input', undefined],
  ['turn-end:done', undefined],
  ['turn-end:fail', undefined],
  ['turn-end:auto-commit', undefined],
  ['turn-end:retry-later', undefined],
  // Not a session action, but a key every object has: still not journaled.
  ['toString' as SessionAction, undefined],
];

describe('which session actions are journaled', () => {
  it.each(cases)('%s → %s', (session, journaled) => {
    expect(journaledAction(session)).toBe(journaled);
  });

  it('gives every journal action kind a session action', () => {
    expect(new Set(cases.flatMap(([, journaled]) => journaled ?? []))).toEqual(new Set(AGENT_ACTIONS));
  });
});
