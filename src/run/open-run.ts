import { UserError } from '../errors.js';
import { packageVersion } from '../package-version.js';
import { Journal } from '../journal/journal.js';
import { acquireLock, type RunLock } from '../journal/lock.js';
import { replay } from '../journal/reduce.js';
import { initialRunState, type RunState } from '../journal/run-state.js';
import { latestRun, newRunId, runDir } from '../journal/runs.js';
import { addDetachedWorktree, defaultWorktreeRoot, samePath } from '../git/worktrees.js';
import { planIntegrationWorktree } from '../git/task-worktrees.js';
import type { Plan } from '../plan/types.js';
import type { Preflight } from './preflight.js';
import { endSurvivingCommands } from './end-survivors.js';
import { ensureIntegrationWorktree } from './integration-worktree.js';
import { RunRecorder } from '../journal/recorder.js';
import { narrowPlan, type TaskSelection } from './task-selection.js';
import { recordAlreadyMerged, type AlreadyMerged } from './already-merged.js';
import path from 'node:path';
import { reportConfig } from './agent-guards.js';
import { restoreRepoConfig, runConfigBaseline, type RepoConfigSnapshot } from './repo-config-guard.js';

export interface OpenedRun {
  /** The plan this run carries out: narrowed to the run's selected tasks, if it has some. */
  plan: Plan;
  recorder: RunRecorder;
  runId: string;
  lock: RunLock;
  worktreeRoot: string;
  integration: { branch: string; worktree: string };
  /** The shared git config and hooks as the run began (see runConfigBaseline). */
  repoConfig: RepoConfigSnapshot;
  /** Set when an unfinished run of this plan was picked up again. */
  resumedFrom?: RunState;
}

/** The unfinished run of this plan that `ccwave run` would resume, if any (read-only). */
export function resumableRun(dataDir: string, plan: Plan): { runId: string; state: RunState } | undefined {
  const last = lastRunOfPlan(dataDir, plan);
  return last && last.state.status !== 'finished' ? last : undefined;
}

/** The repository's latest run when it ran this plan, finished or not (read-only). */
export function lastRunOfPlan(dataDir: string, plan: Plan): { runId: string; state: RunState } | undefined {
  const latest = latestRun(dataDir);
  if (!latest) return undefined;
  const state = replay(Journal.read(dataDir, latest).events);
  return samePath(state.planFile, plan.file) ? { runId: latest, state } : undefined;
}

/**
 * Starts a new run (journal, integration branch and worktree), or resumes the latest unfinished
 * run of the same plan unless `fresh`. Takes the repository's lock first. A new run journals the
 * tasks base already has (`alreadyMerged`) as done earlier, before anything starts.
 */
export async function openRun(plan: Plan, pre: Preflight, options: { fresh: boolean; command: string; selection?: TaskSelection; alreadyMerged?: readonly AlreadyMerged[] }): Promise<OpenedRun> {
  const { repo } = pre;
  const candidate = options.fresh ? undefined : resumableRun(repo.dataDir, plan);
  const runId = candidate?.runId ?? newRunId();
  const lock = acquireLock(repo.dataDir, { runId, command: options.command });
  try {
    const worktreeRoot = plan.settings.worktrees ? path.resolve(plan.root, plan.settings.worktrees) : await defaultWorktreeRoot(repo);
    if (candidate) return await resume(plan, pre, runId, lock, worktreeRoot, options.command);
    const integration = await planIntegrationWorktree(repo, { root: worktreeRoot, runId, baseSha: pre.base.sha });
    const recorder = new RunRecorder(Journal.create(repo.dataDir, runId), initialRunState());
    // In the run's folder, before ccwave or any agent changes anything in the repository.
    const repoConfig = runConfigBaseline(repo, runDir(repo.dataDir, runId));
    recorder.record({
      type: 'run-started',
      runId,
      planFile: plan.file,
      planName: plan.name,
      base: pre.base,
      integration: { branch: integration.branch, worktree: integration.path },
      settings: JSON.parse(JSON.stringify({ ...plan.settings, ...plan.taskSettings })) as Record<string, never>,
      waves: plan.waves.map((w) => ({ index: w.index, name: w.name, tasks: w.tasks.map((t) => ({ id: t.id, title: t.title, promptPath: t.promptPath })) })),
      ccwaveVersion: packageVersion(),
      ...(options.selection ? { selection: options.selection } : {}),
    });
    recordAlreadyMerged(recorder, options.alreadyMerged ?? [], pre.base.sha);
    await addDetachedWorktree(repo, integration);
    return { plan, recorder, runId, lock, worktreeRoot, integration: { branch: integration.branch, worktree: integration.path }, repoConfig };
  } catch (error) {
    lock.release();
    throw error;
  }
}

async function resume(fullPlan: Plan, pre: Preflight, runId: string, lock: RunLock, worktreeRoot: string, command: string): Promise<OpenedRun> {
  const journal = Journal.open(pre.repo.dataDir, runId);
  const events = journal.read().events;
  const state = replay(events);
  // A run of only some tasks goes on with those: the others are not part of it.
  const plan = state.selection ? narrowPlan(fullPlan, new Set(state.selection.tasks)) : fullPlan;
  assertSamePlan(plan, state, runId);
  const recorder = new RunRecorder(journal, state);
  recorder.record({ type: 'run-resumed', pid: process.pid, command });
  // Before anything touches a worktree: a command still running there from before would race it.
  const dir = runDir(pre.repo.dataDir, runId);
  await endSurvivingCommands(events, recorder, dir);
  // An agent killed with the runner may have left its git config or hooks in force: put back what
  // the run began with before ccwave checks anything out under them.
  const repoConfig = runConfigBaseline(pre.repo, dir);
  const saveDir = path.join(dir, `git-changes-resume-${recorder.state.lastSeq}`);
  reportConfig(recorder, restoreRepoConfig(pre.repo, repoConfig, saveDir), { when: 'since the run began', saveDir });
  const integration = state.integration!;
  await ensureIntegrationWorktree(pre.repo, recorder, integration);
  return { plan, recorder, runId, lock, worktreeRoot, integration: { branch: integration.branch, worktree: integration.worktree }, repoConfig, resumedFrom: state };
}

/** Resuming with a different set of tasks would silently drop or invent work: refuse, clearly. */
function assertSamePlan(plan: Plan, state: RunState, runId: string): void {
  const planned = new Map(plan.waves.flatMap((w) => w.tasks.map((t) => [t.id, w.index] as const)));
  const journaled = new Map(Object.values(state.tasks).map((t) => [t.id, t.wave] as const));
  const added = [...planned.keys()].filter((id) => !journaled.has(id));
  const removed = [...journaled.keys()].filter((id) => !planned.has(id));
  const moved = [...planned].filter(([id, wave]) => journaled.has(id) && journaled.get(id) !== wave).map(([id]) => id);
  if (added.length + removed.length + moved.length === 0) return;
  const parts = [added.length ? `added ${added.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : '', moved.length ? `moved ${moved.join(', ')}` : ''].filter(Boolean);
  throw new UserError(`the plan changed since run ${runId} started (${parts.join('; ')})`, {
    hint: 'restore the plan to resume that run, or start a new run with `ccwave run --fresh` (the old run stays for `ccwave clean`)',
  });
}
