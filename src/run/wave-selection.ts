import { plural } from '../format/plural.js';
import { UserError } from '../errors.js';
import type { RunState } from '../journal/run-state.js';
import type { WaveSelection } from './run-plan.js';

/**
 * Checks `--wave n` / `--from n` against the plan and its last run, before anything is created. A
 * wave forks from the merged result of the waves before it, so it may only run once they have
 * finished: the valid waves are 1 up to the first one the last run of this plan (resumed, or
 * finished and followed by a new run) did not finish; with no run yet, only wave 1.
 */
export function checkWaveSelection(selection: WaveSelection, waveCount: number, run: RunState | undefined): void {
  if (selection.only !== undefined && selection.from !== undefined) {
    throw new UserError('--wave and --from cannot be used together', {
      hint: '--wave n runs only wave n; --from n runs wave n and every wave after it',
    });
  }
  const flag = selection.only !== undefined ? '--wave' : '--from';
  const wave = selection.only ?? selection.from;
  if (wave === undefined) return;
  // Every wave of the last run finished: any of them may start a new one.
  const firstUnfinished = run ? (run.waves.find((w) => w.status !== 'finished')?.index ?? run.waves.length + 1) : 1;
  const highest = Math.min(firstUnfinished, waveCount);
  const valid = `valid now: ${flag} ${highest === 1 ? '1' : `1 to ${highest}`}`;
  if (wave > waveCount) {
    throw new UserError(`${flag} ${wave}: the plan has ${plural(waveCount, 'wave')}`, { hint: valid });
  }
  if (wave > firstUnfinished) {
    const skipped = firstUnfinished === wave - 1 ? `wave ${firstUnfinished}` : `waves ${firstUnfinished} to ${wave - 1}`;
    throw new UserError(`${flag} ${wave} would skip ${skipped}, which ${firstUnfinished === wave - 1 ? 'has' : 'have'} not finished`, {
      hint: `a wave starts from the merged result of the waves before it; ${valid}`,
    });
  }
}
