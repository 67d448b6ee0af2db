import type { Journal } from './journal.js';
import type { JournalEvent, NewJournalEvent } from './events.js';
import { reduce } from './reduce.js';
import type { RunState } from './run-state.js';

export type EventListener = (event: JournalEvent, state: RunState) => void;

/**
 * Test-only fault injection: the runner kills itself with SIGKILL right after journal event
 * number K is on disk, to prove that a run resumes from any point.
 */
export const FAULT_AFTER_EVENT_ENV = 'CCWAVE_FAULT_AFTER_EVENT';

/**
 * The one way the runner says what happened: each event is fsynced to the journal, folded into
 * the run's state, then shown to the listeners (UI, reporters). Nothing else changes the state.
 */
export class RunRecorder {
  readonly journal: Journal;
  #state: RunState;
  readonly #listeners = new Set<EventListener>();
  readonly #faultAfter: number | undefined;

  constructor(journal: Journal, state: RunState) {
    this.journal = journal;
    this.#state = state;
    const fault = Number(process.env[FAULT_AFTER_EVENT_ENV]);
    this.#faultAfter = Number.isInteger(fault) && fault > 0 ? fault : undefined;
  }

  get state(): RunState {
    return this.#state;
  }

  record(event: NewJournalEvent): JournalEvent {
    const written = this.journal.record(event);
    if (written.seq === this.#faultAfter) process.kill(process.pid, 'SIGKILL');
    this.#state = reduce(this.#state, written);
    for (const listener of this.#listeners) listener(written, this.#state);
    return written;
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
