import type { JournalEvent } from '../journal/events.js';

/** `--json`: each journal event as one line, exactly as journaled, for other programs to read. */
export class JsonReporter {
  constructor(private readonly write: (text: string) => void) {}

  onEvent(event: JournalEvent): void {
    this.write(`${JSON.stringify(event)}\n`);
  }
}
