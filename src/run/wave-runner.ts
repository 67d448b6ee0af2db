import PQueue from 'p-queue';
import { readRef } from '../git/refs.js';
import { isTaskOver } from '../journal/run-state.js';
import type { Wave } from '../plan/types.js';
import { runMergeQueue } from '../merge/queue.js';
import { landBase, type LandOutcome } from '../merge/land.js';
import type { RunContext } from './context.js';
import { retryTask, runTask } from './task-runner.js';
import { ensureTaskWorktree } from './worktree-setup.js';
import type { UsagePause } from './usage-pause.js';
import { resolveConflictWithAgent } from './conflict-handback.js';
import { writeWaveRetro } from './wave-retro.js';
import { EXIT, StopRequested } from '../errors.js';
import { overBudgetStop, tasksBackWithinBudget } from './budget-tasks.js';
import { ensureIntegrationWorktree } from './integration-worktree.js';
import { restoreIntegrationBranch } from './integration-guard.js';
import { mergedBeforeRun } from './already-merged.js';

/** Outcomes a person may retry with `r`. */
const RETRYABLE: ReadonlySet<string> = new Set(['failed', 'timeout', 'cancelled']);

export type WaveEnd = { kind: 'finished'; land?: LandOutcome } | { kind: 'stopped'; reason: string };

/**
 * One wave: worktrees forked from the integration tip, agents through a bounded queue, then, when
 * every task is over, the merge queue, the retrospective and landing. Skips whatever the journal
 * says is already done, so the same code resumes a wave.
 */
export async function runWave(ctx: RunContext, wave: Wave, pause: UsagePause): Promise<WaveEnd> {
  let waveState = ctx.recorder.state.waves.find((w) => w.index === wave.index)!;
  if (waveState.status === 'finished') return { kind: 'finished' };
  if (waveState.status === 'pending') {
    const tip = await readRef(ctx.repo.git, `refs/heads/${ctx.integration.branch}`);
    ctx.recorder.record({ type: 'wave-started', wave: wave.index, fromSha: tip! });
    waveState = ctx.recorder.state.waves.find((w) => w.index === wave.index)!;
  }
  const fromSha = waveState.fromSha!;
  // A task whose merge conflict was being handed back when ccwave stopped goes on in the merge
  // queue; its worktree, like the others', is checked (and recreated from its branch) first.
  const handedBack = wave.tasks.filter((task) => ctx.recorder.state.tasks[task.id]!.handback?.pending);
  // A task stopped at its budget goes on once the budget (WAVES.md is read again) allows it.
  const overBefore = new Set(wave.tasks.filter((task) => ctx.recorder.state.tasks[task.id]!.status === 'over-budget').map((task) => task.id));
  const backWithinBudget = tasksBackWithinBudget(ctx.recorder.state, wave);
  for (const task of backWithinBudget) ctx.taskStops.clear(task.id);
  const pending = wave.tasks.filter((task) => (!isTaskOver(ctx.recorder.state.tasks[task.id]!.status) || backWithinBudget.includes(task)) && !handedBack.includes(task));
  for (const task of [...pending, ...handedBack]) {
    if (ctx.stop.stopping) break;
    await ensureTaskWorktree(ctx, task, fromSha);
  }
  await runAgents(ctx, pending, pause);
  // At a budget, the run stops here even if no agent was in a turn to stop: nothing is merged
  // without a task's work, and the run goes on once the budget is raised.
  const overBudget = pause.held ?? overBudgetStop(ctx.recorder.state, wave, overBefore);
  if (overBudget !== undefined && !ctx.stop.stopping) ctx.stop.request(overBudget, EXIT.overBudget);
  if (ctx.stop.stopping) return { kind: 'stopped', reason: ctx.stop.reason ?? 'stopped' };

  // The agents had the run to themselves: the branch goes back where the journal has it, and
  // ccwave's worktree must still be its own before it is used.
  await restoreIntegrationBranch(ctx);
  await ensureIntegrationWorktree(ctx.repo, ctx.recorder, ctx.integration);
  const queue = await runMergeQueue(
    {
      repo: ctx.repo,
      recorder: ctx.recorder,
      runId: ctx.runId,
      integration: ctx.integration,
      settings: ctx.plan.settings,
      logDir: ctx.runDir,
      resolveConflict: async (task, request) => {
        const tip = await resolveConflictWithAgent(ctx, task, request, pause);
        // The agent ran again next to the integration worktree, which the queue is about to use.
        await ensureIntegrationWorktree(ctx.repo, ctx.recorder, ctx.integration);
        return tip;
      },
      signal: ctx.stop.signal,
      commandTracker: ctx.registry,
    },
    ctx.recorder.state.waves.find((w) => w.index === wave.index)!,
  );
  if (queue.stoppedBy) {
    return { kind: 'stopped', reason: `merge conflict in ${queue.stoppedBy.task} (${queue.stoppedBy.paths.join(', ')}) and merge.onConflict is stop` };
  }
  // Each step below is short and resumable: a stop is honoured between them, never inside one.
  if (queue.stopped || ctx.stop.stopping) return { kind: 'stopped', reason: ctx.stop.reason ?? 'stopped' };
  let tip = queue.tip;
  // A wave whose every task base already had did nothing: its earlier retrospective says it all.
  const nothingDone = wave.tasks.every((task) => mergedBeforeRun(ctx.recorder.state.tasks[task.id]));
  if (ctx.plan.settings.retro.enabled && !nothingDone) {
    ctx.recorder.record({ type: 'retro-started', wave: wave.index });
    await ensureIntegrationWorktree(ctx.repo, ctx.recorder, ctx.integration);
    try {
      tip = await writeWaveRetro(ctx, wave, tip);
    } catch (error) {
      if (!(error instanceof StopRequested)) throw error;
    }
    if (ctx.stop.stopping) return { kind: 'stopped', reason: ctx.stop.reason ?? 'stopped' };
  }
  let land: LandOutcome | undefined;
  if (ctx.plan.settings.land) {
    const base = ctx.recorder.state.base!.branch;
    const untested = queue.untested ? { untested: `${queue.untested}; ${base} only moves to a tree that passed` } : {};
    land = await landBase(ctx.repo, ctx.recorder, base, ctx.integration.branch, { ...untested, expectedTip: tip });
  }
  ctx.recorder.record({ type: 'wave-finished', wave: wave.index, integrationSha: tip });
  return { kind: 'finished', ...(land ? { land } : {}) };
}

async function runAgents(ctx: RunContext, tasks: Wave['tasks'], pause: UsagePause): Promise<void> {
  const queue = new PQueue({ concurrency: ctx.concurrency });
  // A task's failure is an event; an exception here (a failed journal write) is ccwave's own
  // problem and must reach the top-level boundary, not die as an unhandled rejection.
  const errors: unknown[] = [];
  // A stop clears what waits for a slot: those tasks stay as they are, to be resumed. The queue
  // rejects each of them with an AbortError, which is the stop's doing, not a failure.
  let cleared = false;
  ctx.stop.signal.addEventListener(
    'abort',
    () => {
      cleared = true;
      queue.clear();
    },
    { once: true },
  );
  const launch = (task: Wave['tasks'][number], work: () => Promise<void>): void => {
    const added = queue.add(async () => {
      await pause.wait(ctx.stop.signal);
      if (ctx.stop.stopping || pause.held) return;
      // Claude launches are paced by ctx.claudeLaunches, at the launch itself (task-runner.ts).
      await work();
    });
    added.catch((error: unknown) => {
      if (cleared && error instanceof DOMException && error.name === 'AbortError') return;
      errors.push(error);
      queue.clear();
    });
  };
  for (const task of tasks) launch(task, () => runTask(ctx, task, pause));
  // `r` in the UI: a task of this wave that ended without success gets one more attempt, while
  // the wave's agents are still at work (once the merge queue runs, the wave is settled).
  const retrying = new Set<string>();
  ctx.retries.handler = (taskId) => {
    const task = tasks.find((t) => t.id === taskId);
    const status = ctx.recorder.state.tasks[taskId]?.status;
    if (ctx.stop.stopping) return 'the run is stopping';
    if (!task || !status) return `${taskId} is not one of this wave's agents`;
    // Two agents must never share one session: a second `r` waits for the first retry's outcome.
    if (retrying.has(taskId)) return `${taskId} is already being retried`;
    if (!RETRYABLE.has(status)) return `${taskId} is ${status}: only a failed, timed-out or stopped task can be retried`;
    retrying.add(taskId);
    // The `k` that stopped it must not stop the new attempt as well.
    ctx.taskStops.clear(taskId);
    launch(task, async () => {
      try {
        await retryTask(ctx, task, pause);
      } finally {
        retrying.delete(taskId);
      }
    });
    return undefined;
  };
  await queue.onIdle();
  ctx.retries.handler = undefined;
  if (errors.length > 0) throw errors[0];
}
