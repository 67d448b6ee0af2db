import type { Repo } from '../git/repo.js';
import type { RunState } from '../journal/run-state.js';
import type { Criterion } from '../plan/parse-prompt.js';
import type { Plan } from '../plan/types.js';
import { buildRetroFacts } from './build-retro-facts.js';
import { diffStat } from './diffstat.js';
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
  await Promise.all(
    waveState.taskIds.map(async (id) => {
      const task = state.tasks[id];
      const from = task?.worktree?.fromSha;
      const tip = task?.tipSha ?? task?.merge?.tip;
      if (!from || !tip) return;
      const diff = await diffStat(repo.git, from, tip);
      if (diff) diffs.set(id, diff);
    }),
  );
  return buildRetroFacts(state, wave, { diffs, criteria: plan && criteriaByTask(plan) });
}

export function criteriaByTask(plan: Plan): Map<string, Criterion[]> {
  return new Map(plan.waves.flatMap((w) => w.tasks.map((task) => [task.id, task.criteria] as const)));
}
