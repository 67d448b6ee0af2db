import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { casUpdateRef, readRef } from '../git/refs.js';
import { findMergesByTrailer } from '../git/merge.js';
import { DEFAULT_RUN_SETTINGS } from '../plan/defaults.js';
import type { RunSettings } from '../plan/types.js';
import type { TaskState, WaveState } from '../journal/run-state.js';
import type { RunRecorder } from '../journal/recorder.js';
import { StopRequested } from '../errors.js';
import { chooseGate, runGate, type Candidate, type GateOps, type SkipKind } from './gate.js';
import { changedFiles } from '../git/history.js';
import { createMergeCommit } from './merge-commit.js';
import type { GroupTracker } from '../process/user-command.js';
import { runTestCommand } from './test-command.js';
import { shortSha } from '../format/sha.js';

/** A conflicted task goes back to its agent at most this often before it needs a person. */
export const MAX_CONFLICT_ROUNDS = 2;

export interface ConflictRequest {
  /** The integration tip the agent must merge into its branch. */
  integrationTip: string;
  paths: string[];
  /** Tasks of this wave already merged that touched the same paths. */
  overlapping: string[];
}

export interface QueueContext {
  repo: Repo;
  recorder: RunRecorder;
  runId: string;
  integration: { branch: string; worktree: string };
  /** `testRetries` and `commandTimeout` default to the plan defaults. */
  settings: Pick<RunSettings, 'test' | 'merge'> & Partial<Pick<RunSettings, 'testRetries' | 'commandTimeout'>>;
  /** Folder for test logs. */
  logDir: string;
  /** Hands a conflict back to the task's agent; resolves to the new tip, or undefined if it could not. */
  resolveConflict?: (task: TaskState, request: ConflictRequest) => Promise<string | undefined>;
  /** Progress for the UI: "merging feature-002 (2/5)", "testing 4f2a1c9". */
  onProgress?: (kind: 'merging' | 'testing', detail: string) => void;
  /** The run's stop: the queue ends at its next safe point, leaving the rest for resume. */
  signal?: AbortSignal;
  /** Where a running test command's process group is tracked, so a forced stop kills it at once. */
  commandTracker?: GroupTracker;
}

export interface QueueResult {
  tip: string;
  /** Set when `merge.onConflict: stop` ended the queue. */
  stoppedBy?: { task: string; paths: string[] };
  /** True when the wave's starting point already failed its tests, so merges were not gated. */
  baseFailed: boolean;
  /** Why `tip` must not land: it never passed the tests (set only when there is a test command). */
  untested?: string;
  /** True when the run's stop ended the queue early: the wave is not over and resumes later. */
  stopped?: boolean;
}

/**
 * The wave barrier: merges the wave's finished tasks into the integration branch in plan order,
 * gated by the tests. The branch only moves, by compare-and-swap, to a tree that passed them.
 */
export async function runMergeQueue(ctx: QueueContext, wave: WaveState): Promise<QueueResult> {
  try {
    return await mergeWave(ctx, wave);
  } catch (error) {
    if (!(error instanceof StopRequested)) throw error;
    const tip = await readRef(ctx.repo.at(ctx.integration.worktree), `refs/heads/${ctx.integration.branch}`);
    return { tip: tip!, baseFailed: false, stopped: true };
  }
}

async function mergeWave(ctx: QueueContext, wave: WaveState): Promise<QueueResult> {
  const exec = ctx.repo.at(ctx.integration.worktree);
  const ref = `refs/heads/${ctx.integration.branch}`;
  const start = await readRef(exec, ref);
  if (!start) throw new Error(`the integration branch ${ctx.integration.branch} is missing`);
  let tip: string = start;
  const baseFailed = ctx.settings.test ? !(await testedOk(ctx, wave, tip)) : false;
  // Hand-backs a stop or crash cut short go on first, as they would have: their tasks rejoin the queue.
  await resumeHandbacks(ctx, wave);
  let queue = candidatesOf(ctx, wave);
  const mergedThisWave = wave.taskIds.filter((id) => ctx.recorder.state.tasks[id]?.merge?.status === 'merged');
  // A base that fails can't tell good merges from bad: the wave merges ungated (its work is kept on
  // the integration branch) but its tip never passed the tests, so it must not land.
  const untested = baseFailed ? `the tests failed on the wave's start ${shortSha(start)} (${runsOf(ctx)}), so its merges went in untested` : undefined;
  while (queue.length > 0) {
    if (ctx.signal?.aborted) throw new StopRequested('the merge queue');
    const result = await runGate(chooseGate(ctx.settings.merge.gate, queue.length), tip, queue, gateOps(ctx, wave, queue, baseFailed));
    if (result.tip !== tip) {
      await casUpdateRef(exec, { ref, newSha: result.tip, oldSha: tip, reason: `ccwave: merge wave ${wave.index}` });
    }
    for (const { candidate, sha } of result.merged) {
      ctx.recorder.record({ type: 'merge-done', task: candidate.taskId, tip: candidate.tip, result: 'merged', mergeSha: sha, integrationSha: result.tip });
      mergedThisWave.push(candidate.taskId);
    }
    for (const candidate of result.testsFailed) {
      ctx.recorder.record({ type: 'merge-skipped', task: candidate.taskId, tip: candidate.tip, result: 'tests-failed', reason: 'the tests failed with this branch merged' });
    }
    // Stopped inside the round: what was verified is kept; the rest has no verdict and is merged
    // again on resume (its merge-intent stays open).
    if (result.stopped) throw new StopRequested('the merge queue');
    for (const { candidate, kind } of result.skipped) await recordNothingToMerge(ctx, candidate, kind, result.tip);
    tip = result.tip;
    queue = [];
    for (const { candidate, paths } of result.conflicted) {
      const next = await handleConflict(ctx, candidate, paths, tip, mergedThisWave);
      if (next === 'stop') return { tip, stoppedBy: { task: candidate.taskId, paths }, baseFailed, ...(untested ? { untested } : {}) };
      if (next) queue.push(next);
    }
  }
  return { tip, baseFailed, ...(untested ? { untested } : {}) };
}

async function recordNothingToMerge(ctx: QueueContext, candidate: Candidate, kind: SkipKind, tip: string): Promise<void> {
  if (kind === 'empty') {
    ctx.recorder.record({ type: 'merge-skipped', task: candidate.taskId, tip: candidate.tip, result: 'empty', reason: 'its changes are already in the integration branch' });
    return;
  }
  // Already in the branch: after a crash between moving the branch and journaling it.
  const earlier = await findMergesByTrailer(ctx.repo.at(ctx.integration.worktree), { ref: tip, runId: ctx.runId, taskId: candidate.taskId });
  ctx.recorder.record({ type: 'merge-done', task: candidate.taskId, tip: candidate.tip, result: 'already-merged', integrationSha: tip, ...(earlier[0] ? { mergeSha: earlier[0].sha } : {}) });
}

/** Finished tasks with commits, in plan order, not merged yet; empty ones are recorded as such. */
function candidatesOf(ctx: QueueContext, wave: WaveState): Candidate[] {
  const candidates: Candidate[] = [];
  for (const id of wave.taskIds) {
    const task = ctx.recorder.state.tasks[id];
    if (!task || task.status !== 'done') continue;
    if (task.merge && task.merge.status !== 'merging') continue;
    if (!task.tipSha || !task.commits) {
      ctx.recorder.record({ type: 'merge-skipped', task: id, result: 'empty', reason: 'the task finished without commits' });
      continue;
    }
    candidates.push({ taskId: id, tip: task.tipSha });
  }
  return candidates;
}

async function handleConflict(ctx: QueueContext, candidate: Candidate, paths: string[], integrationTip: string, mergedThisWave: string[]): Promise<Candidate | 'stop' | undefined> {
  const policy = ctx.settings.merge.onConflict;
  // Rounds are journaled, so a resumed queue does not hand the same conflict back again.
  const round = (ctx.recorder.state.tasks[candidate.taskId]?.handback?.round ?? 0) + 1;
  if (policy === 'agent' && ctx.resolveConflict && round <= MAX_CONFLICT_ROUNDS) {
    if (ctx.signal?.aborted) throw new StopRequested('the merge queue');
    const overlapping = await overlappingTasks(ctx, mergedThisWave, paths);
    ctx.recorder.record({ type: 'handback-started', task: candidate.taskId, round, integrationTip, paths, overlapping });
    return handBack(ctx, candidate, { integrationTip, paths, overlapping });
  }
  const reason = policy === 'agent' ? 'conflicted: needs attention' : policy === 'stop' ? 'conflicted: the run stopped here (merge.onConflict: stop)' : 'conflicted: skipped';
  ctx.recorder.record({ type: 'merge-skipped', task: candidate.taskId, tip: candidate.tip, result: 'conflict', conflictedPaths: paths, reason });
  return policy === 'stop' ? 'stop' : undefined;
}

/**
 * The journaled hand-back of `candidate`'s conflict: its new tip to merge, or undefined when the
 * agent could not resolve it (recorded). A stop of the run throws StopRequested through here,
 * leaving the hand-back pending for resume.
 */
async function handBack(ctx: QueueContext, candidate: Candidate, request: ConflictRequest): Promise<Candidate | undefined> {
  const task = ctx.recorder.state.tasks[candidate.taskId]!;
  const newTip = ctx.resolveConflict ? await ctx.resolveConflict(task, request) : undefined;
  if (newTip && newTip !== candidate.tip) return { taskId: candidate.taskId, tip: newTip };
  const reason = ctx.recorder.state.tasks[candidate.taskId]?.status === 'done' ? 'conflicted: needs attention' : 'conflicted: the agent could not resolve it';
  ctx.recorder.record({ type: 'merge-skipped', task: candidate.taskId, tip: candidate.tip, result: 'conflict', conflictedPaths: request.paths, reason });
  return undefined;
}

/** Continues, in plan order, the hand-backs journaled but not over when ccwave stopped or crashed. */
async function resumeHandbacks(ctx: QueueContext, wave: WaveState): Promise<void> {
  for (const id of wave.taskIds) {
    const task = ctx.recorder.state.tasks[id];
    if (!task?.handback?.pending || task.merge?.status !== 'merging' || !task.merge.tip) continue;
    if (ctx.signal?.aborted) throw new StopRequested('the merge queue');
    const { integrationTip, paths, overlapping } = task.handback;
    await handBack(ctx, { taskId: id, tip: task.merge.tip }, { integrationTip, paths, overlapping });
  }
}

/** The merged tasks whose own changes touched any of `paths`. */
async function overlappingTasks(ctx: QueueContext, merged: readonly string[], paths: readonly string[]): Promise<string[]> {
  const exec = ctx.repo.at(ctx.integration.worktree);
  const overlapping: string[] = [];
  for (const id of merged) {
    const task = ctx.recorder.state.tasks[id];
    if (!task?.worktree || !task.tipSha) continue;
    const changed = await changedFiles(exec, task.worktree.fromSha, task.tipSha);
    if (changed.some((file) => paths.includes(file))) overlapping.push(id);
  }
  return overlapping;
}

function gateOps(ctx: QueueContext, wave: WaveState, candidates: Candidate[], baseFailed: boolean): GateOps<Candidate> {
  const exec = ctx.repo.at(ctx.integration.worktree);
  let merges = 0;
  const ops: GateOps<Candidate> = {
    stopping: () => ctx.signal?.aborted === true,
    merge: async (onto, candidate) => {
      ctx.onProgress?.('merging', `merging ${candidate.taskId} (${++merges}/${candidates.length})`);
      ctx.recorder.record({ type: 'merge-intent', task: candidate.taskId, tip: candidate.tip, into: onto });
      const title = ctx.recorder.state.tasks[candidate.taskId]?.title ?? candidate.taskId;
      return createMergeCommit(exec, onto, candidate.tip, `Merge ${candidate.taskId}: ${title}`, { task: candidate.taskId, run: ctx.runId, tip: candidate.tip });
    },
  };
  // A base that already fails can't tell good merges from bad: merge without the gate and say so.
  if (ctx.settings.test && !baseFailed) {
    ops.test = (sha) =>
      testVerdict(
        ctx,
        wave,
        sha,
        candidates.map((c) => c.taskId),
      );
  }
  return ops;
}

/**
 * Whether `sha` passes the tests, reusing an earlier pass of the same commit. A failure is not
 * reused: it may have been a flaky run, and running it again costs time, not safety.
 */
async function testedOk(ctx: QueueContext, wave: WaveState, sha: string): Promise<boolean> {
  if (ctx.recorder.state.tests.some((t) => t.sha === sha && t.passed === true)) return true;
  return testVerdict(ctx, wave, sha, []);
}

/**
 * The verdict on `sha`: a failing run is run again, up to `testRetries` times, before the failure
 * counts (a flaky test or a busy machine must not blame a task or switch the gate off); a pass on
 * any run is a pass. Every run is journaled, so a pass after a failure shows as flaky.
 */
async function testVerdict(ctx: QueueContext, wave: WaveState, sha: string, tasks: string[]): Promise<boolean> {
  const retries = retriesOf(ctx);
  for (let attempt = 1; ; attempt++) {
    if ((await runTest(ctx, wave, sha, tasks, attempt)).passed) return true;
    if (attempt > retries) return false;
    // Between two runs is a safe point to stop at: the verdict is simply not reached yet.
    if (ctx.signal?.aborted) throw new StopRequested('the tests');
  }
}

function retriesOf(ctx: QueueContext): number {
  return ctx.settings.testRetries ?? DEFAULT_RUN_SETTINGS.testRetries;
}

function runsOf(ctx: QueueContext): string {
  const runs = retriesOf(ctx) + 1;
  return runs === 1 ? 'one run' : `${runs} runs`;
}

async function runTest(ctx: QueueContext, wave: WaveState, sha: string, tasks: string[], attempt: number) {
  const command = ctx.settings.test!;
  const testId = `w${wave.index}-${randomBytes(3).toString('hex')}`;
  ctx.onProgress?.('testing', `testing ${shortSha(sha)}${attempt > 1 ? ` (run ${attempt})` : ''}`);
  const outcome = await runTestCommand(ctx.repo.at(ctx.integration.worktree), sha, command, path.join(ctx.logDir, `test-${testId}.log`), {
    timeoutMs: ctx.settings.commandTimeout ?? DEFAULT_RUN_SETTINGS.commandTimeout,
    signal: ctx.signal,
    tracker: ctx.commandTracker,
    // Journaled with its process group, so a run resumed after a crash can end a survivor.
    onSpawn: (group) => ctx.recorder.record({ type: 'test-started', testId, wave: wave.index, tasks, sha, command, attempt, group }),
  });
  // A test cut short by the stop has no verdict: no test-finished, and it runs again on resume.
  if (outcome.end === 'interrupted') throw new StopRequested(`the test of ${shortSha(sha)}`);
  const { passed, exitCode, durationMs, outputTail } = outcome;
  ctx.recorder.record({ type: 'test-finished', testId, wave: wave.index, tasks, sha, attempt, passed, exitCode, durationMs, outputTail, ...(outcome.end === 'timeout' ? { timedOut: true } : {}) });
  return outcome;
}
