// Feeds a plain reporter as the runner does: each event with the state the recorder folded it into.
import { reduce, type JournalEvent, type RunState } from '../../../src/journal/index.js';
import type { PlainReporter } from '../../../src/ui/plain-reporter.js';

export function report(reporter: PlainReporter, events: readonly JournalEvent[], from: RunState = reporter.state): RunState {
  let state = from;
  for (const event of events) {
    state = reduce(state, event);
    reporter.onEvent(event, state);
  }
  return state;
}
