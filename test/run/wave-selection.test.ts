import { describe, expect, it } from 'vitest';
import type { NewJournalEvent, RunState } from '../../src/journal/index.js';
import { checkWaveSelection } from '../../src/run/wave-selection.js';
import { BASE_SHA, journalFrom, runStartedEvent, stateOf } from '../helpers/journal.js';

/** A last run of a three-wave plan whose waves got this far. */
function lastRun(...statuses: Array<'pending' | 'running' | 'finished'>): RunState {
  const events: NewJournalEvent[] = [runStartedEvent(statuses.map(() => []))];
  statuses.forEach((status, i) => {
    if (status !== 'pending') events.push({ type: 'wave-started', wave: i + 1, fromSha: BASE_SHA });
    if (status === 'finished') events.push({ type: 'wave-finished', wave: i + 1, integrationSha: BASE_SHA });
  });
  return stateOf(journalFrom(events));
}

const refusal = (selection: { only?: number; from?: number }, run?: RunState): string | undefined => {
  try {
    checkWaveSelection(selection, 3, run);
    return undefined;
  } catch (error) {
    return `${(error as Error).message} | ${(error as { hint?: string }).hint}`;
  }
};

describe('checkWaveSelection', () => {
  it.each([
    { selection: {}, run: undefined, refused: undefined },
    { selection: { only: 1 }, run: undefined, refused: undefined },
    { selection: { from: 2 }, run: undefined, refused: /skip wave 1, which has not finished.*valid now: --from 1$/ },
    { selection: { only: 3 }, run: undefined, refused: /skip waves 1 to 2, which have not finished/ },
    { selection: { only: 4 }, run: undefined, refused: /the plan has 3 waves \| valid now: --wave 1$/ },
    { selection: { from: 2 }, run: lastRun('finished', 'pending', 'pending'), refused: undefined },
    { selection: { from: 3 }, run: lastRun('finished', 'running', 'pending'), refused: /skip wave 2.*--from 1 to 2$/ },
    { selection: { only: 3 }, run: lastRun('finished', 'finished', 'finished'), refused: undefined },
    { selection: { only: 4 }, run: lastRun('finished', 'finished', 'finished'), refused: /valid now: --wave 1 to 3$/ },
    { selection: { only: 1, from: 1 }, run: undefined, refused: /--wave and --from cannot be used together/ },
  ])('$selection after $run.waves: $refused', ({ selection, run, refused }) => {
    const problem = refusal(selection, run);
    if (refused) expect(problem).toMatch(refused);
    else expect(problem).toBeUndefined();
  });
});
