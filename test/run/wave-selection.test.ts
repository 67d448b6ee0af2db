import { describe, expect, it } from 'vitest';
import { initialRunState, type RunState, type WaveStatus } from '../../src/journal/run-state.js';
import { checkWaveSelection } from '../../src/run/wave-selection.js';

/** A last run of a three-wave plan whose waves are in these states. */
function lastRun(...statuses: WaveStatus[]): RunState {
  return { ...initialRunState(), waves: statuses.map((status, i) => ({ index: i + 1, name: `Wave ${i + 1}`, taskIds: [], status })) };
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
