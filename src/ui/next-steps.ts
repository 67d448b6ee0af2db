import type { RunState } from '../journal/run-state.js';

/**
 * After a finished run with tasks still owed (`owed`: what `--only-failed` would take), the one
 * command that runs only those again. Empty otherwise: an unfinished run is resumed instead.
 */
export function rerunAdvice(state: RunState, owed: readonly string[], planArg: string): string {
  if (state.status !== 'finished' || owed.length === 0) return '';
  const what = owed.length === 1 ? 'the task' : `the ${owed.length} tasks`;
  // The tasks run again fork from the base branch: what this run merged must be there first.
  const when = state.landRefusal ? 'once it is landed, ' : '';
  return `\n${when}to run again only ${what} that did not merge (${owed.join(', ')}):\n  ccwave run ${planArg} --only-failed\n`;
}
