import { EXIT } from '../errors.js';
import type { LandOutcome } from '../merge/land.js';
import type { RunContext } from './context.js';
import { exitCodeOf } from './exit-code.js';
import type { UsagePause } from './usage-pause.js';
import { runWave } from './wave-runner.js';

export interface WaveSelection {
  /** Run only this wave. */
  only?: number;
  /** Start at this wave. */
  from?: number;
}

export interface PlanOutcome {
  exitCode: number;
  /** Waves whose result could not be landed on the base branch, with the command to do it. */
  unlanded: { wave: number; land: Extract<LandOutcome, { landed: false }> }[];
  interrupted?: string;
}

/**
 * Runs the plan's waves in order. A stop leaves the run resumable (exit 130); a partial run
 * (`--wave`, `--from`) leaves the rest for a later `ccwave run`.
 */
export async function runPlan(ctx: RunContext, pause: UsagePause, selection: WaveSelection = {}): Promise<PlanOutcome> {
  const unlanded: PlanOutcome['unlanded'] = [];
  for (const wave of ctx.plan.waves) {
    if (selection.only !== undefined && wave.index !== selection.only) continue;
    if (selection.from !== undefined && wave.index < selection.from) continue;
    const end = await runWave(ctx, wave, pause);
    if (end.kind === 'stopped') {
      ctx.recorder.record({ type: 'run-interrupted', reason: end.reason });
      return { exitCode: ctx.stop.stopping ? (ctx.stop.exitCode ?? EXIT.interrupted) : EXIT.tasksFailed, unlanded, interrupted: end.reason };
    }
    if (end.land && !end.land.landed) unlanded.push({ wave: wave.index, land: end.land });
    // A later wave that lands brings the earlier waves' results with it: they are landed now.
    if (end.land?.landed) unlanded.length = 0;
    if (ctx.stop.stopping) {
      // The wave was over when the stop came (it landed meanwhile): the next `ccwave run` goes on from here.
      const reason = ctx.stop.reason ?? 'stopped';
      ctx.recorder.record({ type: 'run-interrupted', reason });
      return { exitCode: ctx.stop.exitCode ?? EXIT.interrupted, unlanded, interrupted: reason };
    }
  }
  const exitCode = exitCodeOf(ctx.recorder.state);
  const everyWave = ctx.recorder.state.waves.every((w) => w.status === 'finished');
  if (everyWave) ctx.recorder.record({ type: 'run-finished', exitCode });
  return { exitCode, unlanded };
}
