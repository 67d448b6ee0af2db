import { inlineText } from '../control-chars.js';
import { UserError } from '../errors.js';
import { shortSha } from '../format/sha.js';
import { mergedTasks, type MergedTask } from '../git/merged-tasks.js';
import type { RunRecorder } from '../journal/recorder.js';
import type { RunState, TaskState } from '../journal/run-state.js';
import { nearest } from '../plan/suggest.js';
import type { Plan } from '../plan/types.js';
import type { Preflight } from './preflight.js';
import { planTaskIds } from './task-selection.js';

/**
 * A run id is read from a commit message on base: anything can stand there, so only this much of
 * it is repeated in the journal and on screen.
 */
const MAX_RUN_ID_SHOWN = 64;

/** A task of the plan whose feature is already merged into base: not started again. */
export interface AlreadyMerged extends MergedTask {
  taskId: string;
}

/** How the journal, status, the summary and the retrospective say why the task was not run. */
export function alreadyMergedReason(merged: Pick<MergedTask, 'mergeSha' | 'runId'>): string {
  const shown = [...merged.runId];
  const runId = inlineText(shown.length > MAX_RUN_ID_SHOWN ? `${shown.slice(0, MAX_RUN_ID_SHOWN).join('')}…` : merged.runId);
  return `already merged in ${shortSha(merged.mergeSha)} (run ${runId})`;
}

/** `--redo` must name the plan's tasks: a typo would silently redo nothing. */
export function checkRedo(known: readonly string[], redo: readonly string[], planArg: string): void {
  for (const id of new Set(redo)) {
    if (known.includes(id)) continue;
    const close = nearest(id, known);
    throw new UserError(`--redo: no task \`${id}\` in ${planArg}`, { hint: close ? `did you mean \`${close}\`?` : `its tasks are: ${known.join(', ')}` });
  }
}

/** The tasks (ids in plan order) that base already has merged, less those to redo. Pure. */
export function alreadyMergedOf(taskIds: readonly string[], merged: ReadonlyMap<string, MergedTask>, redo: readonly string[]): AlreadyMerged[] {
  const again = new Set(redo);
  return taskIds.flatMap((taskId) => {
    const found = merged.get(taskId);
    return found && !again.has(taskId) ? [{ taskId, ...found }] : [];
  });
}

/** Which of the plan's tasks a new run leaves out because base has them (read-only: one git log). */
export async function findAlreadyMerged(plan: Plan, pre: Preflight, redo: readonly string[]): Promise<AlreadyMerged[]> {
  return alreadyMergedOf(planTaskIds(plan), await mergedTasks(pre.repo, pre.base.sha), redo);
}

/**
 * Journals each task as done earlier, before any wave starts: a finished task with the earlier
 * merge as its merge, so the scheduler, the merge queue, the exit code and `--only-failed` all
 * treat it as merged, and a resume never starts it.
 */
export function recordAlreadyMerged(recorder: RunRecorder, skips: readonly AlreadyMerged[], baseSha: string): void {
  for (const skip of skips) {
    recorder.record({ type: 'task-finished', task: skip.taskId, status: 'done', reason: alreadyMergedReason(skip), tipSha: skip.tip, commits: 0 });
    recorder.record({ type: 'merge-done', task: skip.taskId, tip: skip.tip, result: 'already-merged', mergeSha: skip.mergeSha, integrationSha: baseSha });
  }
}

/** The lines that tell a person which tasks are left out, and how to run one anyway. */
export function alreadyMergedLines(skips: readonly AlreadyMerged[], baseBranch: string): string[] {
  if (skips.length === 0) return [];
  return [`not run again, already merged into ${baseBranch} (\`--redo <task>\` runs one anyway):`, ...skips.map((skip) => `  ${skip.taskId}: ${alreadyMergedReason(skip)}`)];
}

export interface SkipChoice {
  /** `--redo`: tasks to run even though base has them. */
  redo: readonly string[];
  /** `--task`: tasks named to run, which get a word of their own when they are skipped. */
  named: readonly string[];
  /** The plan's unfinished run that this invocation resumes, if it does. */
  resuming?: string;
}

export interface Skips {
  skips: AlreadyMerged[];
  /** What to tell the user about them. */
  lines: string[];
  /** Every task the run would take is already merged: there is nothing to start. */
  nothingLeft: boolean;
}

/**
 * Which tasks a new run of `plan` (already narrowed by `--task` / `--only-failed`) leaves out.
 * A resumed run decides nothing here: its journal already says what it took.
 */
export async function decideSkips(fullPlan: Plan, plan: Plan, pre: Preflight, choice: SkipChoice, planArg: string): Promise<Skips> {
  checkRedo(planTaskIds(fullPlan), choice.redo, planArg);
  if (choice.resuming !== undefined) {
    if (choice.redo.length > 0) {
      throw new UserError(`--redo runs tasks again in a new run, and run ${choice.resuming} of this plan is not finished`, {
        hint: `\`ccwave run ${planArg}\` resumes it; add --fresh to leave it (it stays for \`ccwave clean\`) and start a new run`,
      });
    }
    return { skips: [], lines: [], nothingLeft: false };
  }
  const skips = await findAlreadyMerged(plan, pre, choice.redo);
  const lines = alreadyMergedLines(skips, pre.base.branch);
  for (const skip of skips.filter((s) => choice.named.includes(s.taskId))) {
    lines.push(`--task ${skip.taskId} is ${alreadyMergedReason(skip)}: add \`--redo ${skip.taskId}\` to run it again`);
  }
  return { skips, lines, nothingLeft: skips.length > 0 && skips.length === planTaskIds(plan).length };
}

/** A task this run found merged into base before it began, and so never started. */
export function mergedBeforeRun(task: TaskState | undefined): boolean {
  return task?.merge?.status === 'already-merged' && task.attempts === 0 && task.worktree === undefined;
}

/** True when this run left out some of the plan's tasks because base already had them. */
export function skippedAny(state: RunState): boolean {
  return Object.values(state.tasks).some(mergedBeforeRun);
}
