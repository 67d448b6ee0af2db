import type { Repo } from '../git/repo.js';
import { firstParent, mergeBase } from '../git/history.js';
import type { RunState, TaskState } from '../journal/run-state.js';
import type { Criterion } from '../plan/parse-prompt.js';
import type { Plan } from '../plan/types.js';
import { buildRetroFacts } from './build-retro-facts.js';
import { diffStats } from './diffstat.js';
import type { DiffFacts, RetroFacts } from './retro-types.js';

export type * from './retro-types.js';

/**
 * The facts of one wave for its retrospective: the journal's state plus what git says each task
 * branch changed. Reads only. Without a plan the retrospective still renders, minus criteria.
 */
export async function collectRetroFacts(repo: Repo, state: RunState, wave: number, plan?: Plan): Promise<RetroFacts> {
  const waveState = state.waves.find((w) => w.index === wave);
  if (!waveState) throw new Error(`run ${state.runId} has no wave ${wave}`);
  const diffs = new Map<string, DiffFacts>();
  // Read-only git processes: running them side by side is safe and keeps a 20-task wave quick.
  const ranges = await Promise.all(
    waveState.taskIds.map(async (id) => {
      const task = state.tasks[id];
      const range = task && (await changesRange(repo, task));
      return range && { id, ...range };
    }),
  );
  const found = ranges.filter((range) => range !== undefined);
  // One git process for the whole wave's diffs where it can.
  (await diffStats(repo.git, found)).forEach((diff, i) => {
    if (diff) diffs.set(found[i]!.id, diff);
  });
  return buildRetroFacts(state, wave, { diffs, criteria: plan && criteriaByTask(plan) });
}

/**
 * The commits whose difference is what a task changed. A merged task: what its merge brought over
 * the integration branch (the merge's first parent is the integration tip it was made on), so a
 * branch that merged the integration branch to resolve a conflict is not credited with the other
 * tasks' work. Otherwise what the branch changed since the integration tip it last took in (its
 * fork point, or the tip it merged during a conflict hand-back).
 */
export async function changesRange(repo: Repo, task: TaskState): Promise<{ from: string; to: string } | undefined> {
  const mergeSha = task.merge?.mergeSha;
  // A merge this run made was made onto the integration tip its intent names: its first parent.
  if (mergeSha && task.merge?.status === 'merged' && task.merge.into) return { from: task.merge.into, to: mergeSha };
  if (mergeSha && (task.merge?.status === 'merged' || task.merge?.status === 'already-merged')) {
    const parent = await firstParent(repo.git, mergeSha);
    if (parent) return { from: parent, to: mergeSha };
  }
  const from = task.worktree?.fromSha;
  const tip = task.tipSha ?? task.merge?.tip;
  if (!from || !tip) return undefined;
  const took = task.handback ? await mergeBase(repo.git, task.handback.integrationTip, tip) : undefined;
  return { from: took ?? from, to: tip };
}

export function criteriaByTask(plan: Plan): Map<string, Criterion[]> {
  return new Map(plan.waves.flatMap((w) => w.tasks.map((task) => [task.id, task.criteria] as const)));
}
