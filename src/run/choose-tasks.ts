import { UserError } from '../errors.js';
import { samePath } from '../git/worktrees.js';
import { Journal } from '../journal/journal.js';
import { replay } from '../journal/reduce.js';
import type { RunState } from '../journal/run-state.js';
import { listRuns } from '../journal/runs.js';
import type { Plan } from '../plan/types.js';
import { isAncestor } from '../git/refs.js';
import { resumableRun } from './open-run.js';
import type { Preflight } from './preflight.js';
import { narrowPlan, planTaskIds, tasksNotMerged, type TaskSelection } from './task-selection.js';

export interface TaskChoice {
  /** Run again the tasks that did not merge in this plan's last finished run(s). */
  onlyFailed?: boolean;
  /** Run only these tasks (the plan's ids). */
  tasks?: string[];
  /** Leave an unfinished run of the plan and start a new one. */
  fresh?: boolean;
  /** `--wave` / `--from`, which pick by wave and do not mix with picking by task. */
  byWave?: boolean;
}

export type ChosenTasks =
  | { kind: 'all'; plan: Plan }
  | { kind: 'some'; plan: Plan; selection: TaskSelection; message: string }
  /** Nothing to run: the message says why. */
  | { kind: 'none'; message: string };

/**
 * Which of the plan's tasks `ccwave run` takes. Read-only: it reads earlier runs' journals and
 * throws a UserError (exit 2, nothing changed) for an id the plan does not have or a choice that
 * cannot be made. `planArg` is how the user names the plan, for the commands it suggests.
 */
export async function chooseTasks(plan: Plan, pre: Preflight, choice: TaskChoice, planArg: string): Promise<ChosenTasks> {
  const { dataDir } = pre.repo;
  const named = choice.tasks ?? [];
  if (!choice.onlyFailed && named.length === 0) return { kind: 'all', plan };
  if (choice.byWave) {
    throw new UserError('--only-failed and --task pick tasks by name; they do not mix with --wave or --from', { hint: 'leave out --wave and --from' });
  }
  const known = planTaskIds(plan);
  const unknown = [...new Set(named.filter((id) => !known.includes(id)))];
  if (unknown.length > 0) {
    const ids = unknown.map((id) => `\`${id}\``).join(', ');
    throw new UserError(`no task ${ids} in ${planArg}`, { hint: `its tasks are: ${known.join(', ')}` });
  }
  const unfinished = choice.fresh ? undefined : resumableRun(dataDir, plan);
  if (unfinished) {
    throw new UserError(`run ${unfinished.runId} of this plan is not finished`, {
      hint: `\`ccwave run ${planArg}\` resumes it; add --fresh to leave it (it stays for \`ccwave clean\`) and start a new run of only these tasks`,
    });
  }
  const wanted = new Set(named);
  const notes: string[] = [];
  let rerunOf: string | undefined;
  if (choice.onlyFailed) {
    const owed = tasksNotMerged(runsOfPlan(dataDir, plan));
    if (!owed) {
      throw new UserError(`--only-failed: no earlier run of ${planArg} has finished, so none of its tasks failed yet`, { hint: `\`ccwave run ${planArg}\` runs the whole plan` });
    }
    const gone = owed.tasks.filter((id) => !known.includes(id));
    const owedHere = owed.tasks.filter((id) => known.includes(id));
    if (gone.length > 0) notes.push(`not in the plan any more, left out: ${gone.join(', ')}`);
    if (owedHere.length === 0 && wanted.size === 0) {
      return { kind: 'none', message: [`every task merged in the last run of this plan (${owed.rerunOf}): nothing to run again`, ...notes].join('\n') };
    }
    if (owedHere.length > 0) await assertResultOnBase(pre, owed.rerunOf, owed.last);
    owedHere.forEach((id) => wanted.add(id));
    rerunOf = owed.rerunOf;
    if (owedHere.length > 0) notes.unshift(`running again the ${count(owedHere.length)} of run ${owed.rerunOf} that did not merge: ${owedHere.join(', ')}`);
  }
  const narrowed = narrowPlan(plan, wanted);
  const tasks = planTaskIds(narrowed);
  const extra = tasks.filter((id) => named.includes(id));
  if (!choice.onlyFailed || extra.length > 0) notes.push(`running only ${extra.length === 1 ? 'task' : 'tasks'} ${extra.join(', ')} of ${planArg}`);
  return { kind: 'some', plan: narrowed, selection: { tasks, ...(rerunOf ? { rerunOf } : {}) }, message: notes.join('\n') };
}

/**
 * The tasks run again fork from the base branch: the earlier run's merges must be on it, or they
 * would be missing from the new run's worktrees and its landing would leave them behind.
 */
async function assertResultOnBase(pre: Preflight, runId: string, last: RunState): Promise<void> {
  const result = last.integration;
  if (!result || result.sha === last.base?.sha) return;
  let onBase: boolean;
  try {
    onBase = await isAncestor(pre.repo.git, result.sha, pre.base.sha);
  } catch {
    // Its commits are gone (cleaned and pruned): there is nothing left to bring over.
    return;
  }
  if (onBase) return;
  const refused = last.landRefusal ? ` (its landing was refused: ${last.landRefusal.why})` : '';
  throw new UserError(`what run ${runId} merged is not on ${pre.base.branch}${refused}, and the tasks run again would start without it`, {
    hint: `land it first: ${last.landRefusal?.command ?? `git merge --ff-only ${result.branch}`}, then run this again`,
  });
}

function count(n: number): string {
  return n === 1 ? 'task' : `${n} tasks`;
}

/** This plan's runs, newest first, read one at a time (most choices stop at the first). */
function* runsOfPlan(dataDir: string, plan: Pick<Plan, 'file'>): Generator<{ runId: string; state: RunState }> {
  for (const runId of listRuns(dataDir).reverse()) {
    let state: RunState;
    try {
      state = replay(Journal.read(dataDir, runId).events);
    } catch {
      // A journal that cannot be read (damaged, or from a newer ccwave) decides nothing.
      continue;
    }
    if (samePath(state.planFile, plan.file)) yield { runId, state };
  }
}

/** The tasks `--only-failed` would take now, in the order the runs list them (read-only). */
export function owedTasks(dataDir: string, plan: Pick<Plan, 'file'>): string[] {
  return tasksNotMerged(runsOfPlan(dataDir, plan))?.tasks ?? [];
}

/** The same, with the run they were last judged by: the newest finished run of the plan. */
export function owedBy(dataDir: string, planFile: string): { rerunOf: string; tasks: string[] } | undefined {
  const owed = tasksNotMerged(runsOfPlan(dataDir, { file: planFile }));
  return owed && { rerunOf: owed.rerunOf, tasks: owed.tasks };
}
