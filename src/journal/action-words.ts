import { plural } from '../format/plural.js';
import type { AgentAction } from './events.js';

/**
 * What ccwave did for an agent, in a fixed order, as the status and the retrospectives both say
 * it. `resumed` is left out: every pause ends with one, so counting both says the same thing twice.
 */
const ACTION_WORDS: ReadonlyArray<[AgentAction, string, string]> = [
  ['nudge', 'nudge', 'nudges'],
  ['ask-commit', 'request to commit', 'requests to commit'],
  ['dialog', 'dialog answered', 'dialogs answered'],
  ['auto-commit', 'auto commit', 'auto commits'],
  ['api-retry', 'API retry', 'API retries'],
  ['paused', 'usage-limit pause', 'usage-limit pauses'],
  ['waiting-for-human', 'question left for a person', 'questions left for a person'],
  ['session-resumed', 'session taken up again', 'sessions taken up again'],
];

/** "2 nudges, 1 dialog answered", or '' when ccwave never stepped in. */
export function actionsText(counts: Partial<Record<AgentAction, number>>): string {
  return ACTION_WORDS.flatMap(([action, one, many]) => {
    const count = counts[action] ?? 0;
    return count > 0 ? [plural(count, one, many)] : [];
  }).join(', ');
}
