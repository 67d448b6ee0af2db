import type { JournalEvent } from '../journal/events.js';

/** BEL: the terminal's own way to call a person back (a beep, a flash, a marked tab or window). */
export const BELL = '\x07';

/**
 * Journal events worth calling a person back for: a wave has ended, its retrospective is there to
 * read; or an agent waits for a person to answer it.
 */
export function ringsFor(event: JournalEvent): boolean {
  return event.type === 'wave-finished' || (event.type === 'agent-action' && event.action === 'waiting-for-human');
}
