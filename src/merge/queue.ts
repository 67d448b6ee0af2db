import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { casUpdateRef, readRef } from '../git/refs.js';
import { findMergesByTrailer } from '../git/merge.js';
import type { RunSettings } from '../plan/types.js';
import type { TaskState, WaveState } from '../journal/run-state.js';
import type { RunRecorder } from '../run/recorder.js';
import { StopRequested } from '../run/stop-control.js';
import { chooseGate, runGate, type Candidate, type GateOps, type SkipKind } from './gate.js';
import { createMergeCommit } from './merge-commit.js';
import { DEFAULT_RUN_SETTINGS } from '../plan/defaults.js';
import type { GroupTracker } from '../process/user-command.js';
import { runTestCommand } from './test-command.js';

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
  /** `commandTimeout` defaults to the run default. */
  settings: Pick<RunSettings, 'test' | 'merge'> & Partial<Pick<RunSettings, 'commandTimeout'>>;
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
  let queue = candidatesOf(ctx, wave);
  const rounds = new Map<string, number>();
  const mergedThisWave: string[] = [];
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
    for (const { candidate, kind } of result.skipped) await recordNothingToMerge(ctx, candidate, kind, result.tip);
    for (const candidate of result.testsFailed) {
      ctx.recorder.record({ type: 'merge-skipped', task: candidate.taskId, tip: candidate.tip, result: 'tests-failed', reason: 'the tests failed with this branch merged' });
    }
    tip = result.tip;
    queue = [];
    for (const { candidate, paths } of result.conflicted) {
      const next = await handleConflict(ctx, candidate, paths, tip, rounds, mergedThisWave);
      if (next === 'stop') return { tip, stoppedBy: { task: candidate.taskId, paths }, baseFailed };
      if (next) queue.push(next);
    }
  }
  return { tip, baseFailed };
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

async function handleConflict(
  ctx: QueueContext,
  candidate: Candidate,
  paths: string[],
  integrationTip: string,
  rounds: Map<string, number>,
  mergedThisWave: string[],
): Promise<Candidate | 'stop' | undefined> {
  const policy = ctx.settings.merge.onConflict;
  const round = (rounds.get(candidate.taskId) ?? 0) + 1;
  rounds.set(candidate.taskId, round);
  const task = ctx.recorder.state.tasks[candidate.taskId]!;
  if (policy === 'agent' && ctx.resolveConflict && round <= MAX_CONFLICT_ROUNDS) {
    const overlapping = await overlappingTasks(ctx, mergedThisWave, paths);
    const newTip = await ctx.resolveConflict(task, { integrationTip, paths, overlapping });
    if (newTip && newTip !== candidate.tip) return { taskId: candidate.taskId, tip: newTip };
  }
  const reason =
    policy === 'agent' ? 'conflicted: needs attention' : policy === 'stop' ? 'conflicted: the run stopped here (merge.onConflict: stop)' : 'conflicted: skipped';
  ctx.recorder.record({ type: 'merge-skipped', task: candidate.taskId, tip: candidate.tip, result: 'conflict', conflictedPaths: paths, reason });
  return policy === 'stop' ? 'stop' : undefined;
}

/** The merged tasks whose own changes touched any of `paths`. */
async function overlappingTasks(ctx: QueueContext, merged: readonly string[], paths: readonly string[]): Promise<string[]> {
  const exec = ctx.repo.at(ctx.integration.worktree);
  const overlapping: string[] = [];
  for (const id of merged) {
    const task = ctx.recorder.state.tasks[id];
    if (!task?.worktree || !task.tipSha) continue;
    const changed = await exec.lines(['diff', '--name-only', task.worktree.fromSha, task.tipSha, '--']);
    if (changed.some((file) => paths.includes(file))) overlapping.push(id);
  }
  return overlapping;
}

function gateOps(ctx: QueueContext, wave: WaveState, candidates: Candidate[], baseFailed: boolean): GateOps<Candidate> {
  const exec = ctx.repo.at(ctx.integration.worktree);
  let merges = 0;
  const ops: GateOps<Candidate> = {
    merge: async (onto, candidate) => {
      ctx.onProgress?.('merging', `merging ${candidate.taskId} (${++merges}/${candidates.length})`);
      ctx.recorder.record({ type: 'merge-intent', task: candidate.taskId, tip: candidate.tip, into: onto });
      const title = ctx.recorder.state.tasks[candidate.taskId]?.title ?? candidate.taskId;
      return createMergeCommit(exec, onto, candidate.tip, `Merge ${candidate.taskId}: ${title}`, { task: candidate.taskId, run: ctx.runId, tip: candidate.tip });
    },
  };
  // A base that already fails can't tell good merges from bad: merge without the gate and say so.
  if (ctx.settings.test && !baseFailed) {
    ops.test = async (sha) => (await runTest(ctx, wave, sha, candidates.map((c) => c.taskId))).passed;
  }
  return ops;
}

/** Whether `sha` passes the tests, reusing an earlier result for the same commit. */
async function testedOk(ctx: QueueContext, wave: WaveState, sha: string): Promise<boolean> {
  const earlier = ctx.recorder.state.tests.findLast((t) => t.sha === sha && t.passed !== undefined);
  if (earlier) return earlier.passed === true;
  return (await runTest(ctx, wave, sha, [])).passed;
}

async function runTest(ctx: QueueContext, wave: WaveState, sha: string, tasks: string[]) {
  const command = ctx.settings.test!;
  const testId = `w${wave.index}-${randomBytes(3).toString('hex')}`;
  ctx.onProgress?.('testing', `testing ${sha.slice(0, 7)}`);
  const outcome = await runTestCommand(ctx.repo.at(ctx.integration.worktree), sha, command, path.join(ctx.logDir, `test-${testId}.log`), {
    timeoutMs: ctx.settings.commandTimeout ?? DEFAULT_RUN_SETTINGS.commandTimeout,
    signal: ctx.signal,
    tracker: ctx.commandTracker,
    // Journaled with its process group, so a run resumed after a crash can end a survivor.
    onSpawn: (group) => ctx.recorder.record({ type: 'test-started', testId, wave: wave.index, tasks, sha, command, group }),
  });
  // A test cut short by the stop has no verdict: no test-finished, and it runs again on resume.
  if (outcome.end === 'interrupted') throw new StopRequested(`the test of ${sha.slice(0, 7)}`);
  const { passed, exitCode, durationMs, outputTail } = outcome;
  ctx.recorder.record({ type: 'test-finished', testId, wave: wave.index, tasks, sha, passed, exitCode, durationMs, outputTail, ...(outcome.end === 'timeout' ? { timedOut: true } : {}) });
  return outcome;
}
