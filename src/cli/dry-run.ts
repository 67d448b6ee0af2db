import path from 'node:path';
import { defaultWorktreeRoot } from '../git/worktrees.js';
import { integrationBranchName, taskBranchName } from '../git/branch-names.js';
import { taskWorktreePath, integrationWorktreePath } from '../git/worktrees.js';
import { formatValue } from '../plan/format-plan.js';
import type { Plan } from '../plan/types.js';
import { resumableRun } from '../run/open-run.js';
import type { Preflight } from '../run/preflight.js';
import { narrowPlan } from '../run/task-selection.js';
import type { RunOptions } from './actions/run.js';
import { shortSha } from '../format/sha.js';
import { alreadyMergedReason, type Skips } from '../run/already-merged.js';

/** `ccwave run --dry-run`: what a run would create and start, read-only. */
export async function printDryRun(fullPlan: Plan, pre: Preflight, flags: RunOptions, write: (text: string) => void, merged?: Skips): Promise<void> {
  const resumable = flags.fresh ? undefined : resumableRun(pre.repo.dataDir, fullPlan);
  // Resuming a run of only some tasks goes on with those.
  const selected = resumable?.state.selection?.tasks;
  const plan = selected ? narrowPlan(fullPlan, new Set(selected)) : fullPlan;
  const runId = resumable?.runId ?? '<new run id>';
  const root = plan.settings.worktrees ? path.resolve(plan.root, plan.settings.worktrees) : await defaultWorktreeRoot(pre.repo);
  const skipped = new Map((merged?.skips ?? []).map((skip) => [skip.taskId, alreadyMergedReason(skip)]));
  const lines = [
    resumable
      ? `would resume run ${runId} of ${plan.name}`
      : merged?.nothingLeft
        ? `would start no run of ${plan.name}: every task is already merged into ${pre.base.branch}`
        : `would start a new run of ${plan.name}`,
    `base: ${pre.base.branch} at ${shortSha(pre.base.sha)}`,
    `integration: branch ${integrationBranchName(runId)} in ${integrationWorktreePath(root, runId)}`,
    `test command: ${plan.settings.test ?? '— (merges are not gated)'}`,
    `merge gate: ${plan.settings.merge.gate}, on conflict: ${plan.settings.merge.onConflict}, land on ${pre.base.branch}: ${plan.settings.land ? 'yes' : 'no'}`,
    `concurrency: ${plan.settings.concurrency}`,
  ];
  for (const wave of plan.waves) {
    if (flags.wave !== undefined && wave.index !== flags.wave) continue;
    if (flags.from !== undefined && wave.index < flags.from) continue;
    lines.push('', `${wave.name}:`);
    for (const task of wave.tasks) {
      const status = resumable?.state.tasks[task.id]?.status;
      const skip = skipped.get(task.id);
      if (skip !== undefined) {
        lines.push(`  ${task.id} (skipped: ${skip})`);
        continue;
      }
      lines.push(`  ${task.id}${status && status !== 'pending' ? ` (${status})` : ''}`);
      lines.push(`    branch ${taskBranchName(runId, wave.index, task.id)} in ${taskWorktreePath(root, runId, task.id)}`);
      if (task.settings.setup) lines.push(`    setup: ${task.settings.setup}`);
      lines.push(`    agent: ${formatValue('agent', task.settings.agent)}, timeout ${formatValue('timeout', task.settings.timeout)}`);
    }
  }
  if (merged && merged.lines.length > 0) lines.push('', ...merged.lines);
  lines.push('', 'nothing was changed (dry run)');
  write(`${lines.join('\n')}\n`);
}
