import type { MergeStatus, RunState, TaskState, TaskStatus, TestState, WaveState } from '../journal/run-state.js';
import { isTaskOver } from '../journal/run-state.js';
import type { Criterion } from '../plan/parse-prompt.js';
import type { DiffFacts, RetroFacts, StatusCount, TaskFacts, TestFacts } from './retro-types.js';
import { deriveWatchList } from './retro-watch.js';
import { waveUsage } from '../journal/usage-totals.js';
import { sumUsage, type Usage } from '../journal/usage.js';

/** Enough of the agent's last message to see what it claimed, short enough to skim 20 tasks. */
export const MAX_LAST_MESSAGE_CHARS = 1500;
/** A failing test's last lines usually name the failure; the full log stays in the run folder. */
export const MAX_TEST_TAIL_LINES = 20;
const MAX_TEST_TAIL_CHARS = 2000;

/** Fixed orders, so the same run always renders the same text. */
const STATUS_ORDER: TaskStatus[] = ['done', 'failed', 'timeout', 'over-budget', 'cancelled', 'skipped', 'running', 'preparing', 'pending'];
const MERGE_ORDER: Array<MergeStatus | 'not merged'> = ['merged', 'already-merged', 'empty', 'conflict', 'tests-failed', 'merging', 'not merged'];

export interface RetroInputs {
  /** Per task id: what its branch changed (from git); missing when unknown. */
  diffs?: ReadonlyMap<string, DiffFacts>;
  /** Per task id: acceptance criteria from the plan; undefined when no plan was loaded. */
  criteria?: ReadonlyMap<string, Criterion[]>;
}

/** Pure: the facts of one wave from the run's state and what git said about the branches. */
export function buildRetroFacts(state: RunState, waveIndex: number, inputs: RetroInputs = {}): RetroFacts {
  const wave = state.waves.find((w) => w.index === waveIndex);
  if (!wave) throw new Error(`run ${state.runId} has no wave ${waveIndex}`);
  const waveTests = testsOfWave(state.tests, wave).map((test) => testFacts(test, wave));
  const tasks = wave.taskIds
    .map((id) => state.tasks[id])
    .filter((task): task is TaskState => task !== undefined)
    .map((task) => taskFacts(task, waveTests, inputs));
  const waveInfo = waveFacts(state, wave, tasks, waveTests);

  const facts: Omit<RetroFacts, 'watch'> = {
    runId: state.runId,
    planName: state.planName,
    planFile: state.planFile,
    wave: waveInfo,
    planLoaded: inputs.criteria !== undefined,
    tasks,
    totals: {
      tasks: tasks.length,
      commits: tasks.reduce((sum, task) => sum + (task.commits ?? 0), 0),
      byStatus: countBy(
        tasks.map((task) => task.status),
        STATUS_ORDER,
      ),
      byMerge: countBy(
        tasks.map((task) => task.merge?.status ?? 'not merged'),
        MERGE_ORDER,
      ),
    },
    phases: phaseTimes(waveInfo, tasks, waveTests),
    conflicts: tasks.flatMap((task) => {
      if (task.merge?.status === 'conflict') return [{ task: task.id, paths: task.merge.conflictedPaths }];
      if (task.handback && resolvedByMerge(task.merge)) return [{ task: task.id, paths: task.handback.paths, resolved: true }];
      return [];
    }),
    tests: {
      runs: waveTests,
      failed: waveTests.filter((test) => test.passed === false).length,
      // A base that passed on a retry was not failing: the retry is there for flaky runs.
      baseFailing: waveTests.some((test) => test.onBase && test.passed === false) && !waveTests.some((test) => test.onBase && test.passed === true),
    },
  };
  const reported = Object.values(state.tasks).some((task) => task.usage !== undefined);
  return { ...facts, watch: deriveWatchList(facts), ...(reported ? { usage: { wave: waveUsage(state, wave.index), run: usageThrough(state, wave) } } : {}) };
}

/**
 * The run's usage up to the end of `wave`: its waves so far in plan order, so a retrospective
 * rendered again later still says what the run had used when this wave ended.
 */
function usageThrough(state: RunState, wave: WaveState): Usage {
  const upTo = state.waves.slice(0, state.waves.indexOf(wave) + 1);
  return sumUsage(upTo.map((w) => waveUsage(state, w.index)));
}

/** Tests journaled for the wave, plus older-format ones that only name its tasks or its base. */
function testsOfWave(tests: readonly TestState[], wave: WaveState): TestState[] {
  const ids = new Set(wave.taskIds);
  return tests.filter((test) => {
    if (test.wave !== undefined) return test.wave === wave.index;
    return test.tasks.some((id) => ids.has(id)) || (wave.fromSha !== undefined && test.sha === wave.fromSha && test.tasks.length === 0);
  });
}

function testFacts(test: TestState, wave: WaveState): TestFacts {
  return {
    testId: test.testId,
    sha: test.sha,
    tasks: test.tasks,
    command: test.command,
    passed: test.passed,
    ...(test.interrupted ? { interrupted: true } : {}),
    exitCode: test.exitCode,
    durationMs: test.durationMs,
    finishedAt: test.finishedAt,
    ...(test.attempt !== undefined ? { attempt: test.attempt } : {}),
    outputTail: test.passed === false && test.outputTail ? tail(test.outputTail) : undefined,
    onBase: test.sha === wave.fromSha,
  };
}

function taskFacts(task: TaskState, waveTests: readonly TestFacts[], inputs: RetroInputs): TaskFacts {
  const finished = task.startedAt && task.finishedAt ? Date.parse(task.finishedAt) - Date.parse(task.startedAt) : undefined;
  return {
    id: task.id,
    title: task.title,
    promptPath: task.promptPath,
    status: task.status,
    reason: task.reason,
    attempts: task.attempts,
    startedAt: task.startedAt,
    finishedAt: task.finishedAt,
    durationMs: finished !== undefined && finished >= 0 ? finished : undefined,
    commits: task.commits,
    branch: task.worktree?.branch,
    fromSha: task.worktree?.fromSha,
    tipSha: task.tipSha ?? task.merge?.tip,
    diff: inputs.diffs?.get(task.id),
    merge: task.merge && {
      status: task.merge.status,
      mergeSha: task.merge.mergeSha,
      conflictedPaths: task.merge.conflictedPaths,
      // Found merged into base before the run started: the task's own reason says where.
      reason: task.merge.reason ?? (task.merge.status === 'already-merged' ? task.reason : undefined),
      at: task.merge.at,
    },
    ...(task.handback ? { handback: { round: task.handback.round, paths: task.handback.paths } } : {}),
    tests: waveTests.filter((test) => test.tasks.includes(task.id)),
    criteria: inputs.criteria?.get(task.id),
    lastMessage: task.lastMessage === undefined ? undefined : trimMessage(task.lastMessage),
    actions: task.actions?.counts ?? {},
    ...(task.usage ? { usage: task.usage.total } : {}),
    ...(task.usage?.model ? { model: task.usage.model } : {}),
  };
}

function waveFacts(state: RunState, wave: WaveState, tasks: readonly TaskFacts[], tests: readonly TestFacts[]): RetroFacts['wave'] {
  const complete = wave.status === 'finished' || (wave.status !== 'pending' && tasks.every(settled) && tests.every((test) => test.passed !== undefined || test.interrupted));
  const lastEvent = latest([...tasks.flatMap((task) => [task.finishedAt, task.merge?.at]), ...tests.map((test) => test.finishedAt)]);
  return {
    index: wave.index,
    name: wave.name,
    status: wave.status,
    fromSha: wave.fromSha,
    // Before `wave-finished`, the journal's integration tip is where the wave's merges left it.
    integrationSha: wave.integrationSha ?? (complete ? state.integration?.sha : undefined),
    startedAt: wave.startedAt,
    complete,
    endedAt: wave.finishedAt ?? (complete ? lastEvent : undefined),
  };
}

/** The task's branch is in the integration branch: a conflict handed back before was resolved. */
export function resolvedByMerge(merge: TaskFacts['merge']): boolean {
  return merge?.status === 'merged' || merge?.status === 'already-merged';
}

/** Ended, and if done, through the merge queue (which records even an empty task's outcome). */
function settled(task: TaskFacts): boolean {
  if (!isTaskOver(task.status)) return false;
  if (task.status !== 'done') return task.merge?.status !== 'merging';
  return task.merge !== undefined && task.merge.status !== 'merging';
}

function phaseTimes(wave: RetroFacts['wave'], tasks: readonly TaskFacts[], tests: readonly TestFacts[]): RetroFacts['phases'] {
  const agentsEnd = latest(tasks.map((task) => task.finishedAt));
  const lastMerge = latest(tasks.map((task) => task.merge?.at));
  return {
    agentsMs: span(wave.startedAt, agentsEnd),
    mergeMs: span(agentsEnd, lastMerge ?? wave.endedAt),
    testsMs: tests.reduce((sum, test) => sum + (test.durationMs ?? 0), 0),
    waveMs: span(wave.startedAt, wave.endedAt),
  };
}

function latest(times: ReadonlyArray<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const time of times) if (time !== undefined && (best === undefined || Date.parse(time) > Date.parse(best))) best = time;
  return best;
}

function span(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return ms >= 0 ? ms : undefined;
}

function countBy<S extends string>(values: readonly S[], order: readonly S[]): StatusCount<S>[] {
  return order.map((status) => ({ status, count: values.filter((value) => value === status).length })).filter((entry) => entry.count > 0);
}

/** Cuts at a line or word boundary so the quote does not end mid-word. */
export function trimMessage(text: string, max = MAX_LAST_MESSAGE_CHARS): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  const cut = trimmed.slice(0, max);
  const boundary = Math.max(cut.lastIndexOf('\n'), cut.lastIndexOf(' '));
  return `${(boundary > max / 2 ? cut.slice(0, boundary) : cut).trimEnd()} …`;
}

function tail(output: string): string {
  const lines = output.trimEnd().split('\n').slice(-MAX_TEST_TAIL_LINES).join('\n');
  return lines.length > MAX_TEST_TAIL_CHARS ? lines.slice(-MAX_TEST_TAIL_CHARS) : lines;
}
