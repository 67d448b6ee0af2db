import type { EventOf, JournalEvent } from './events.js';
import { reduceTaskEvent, replaying } from './reduce-task.js';
import { initialRunState, newTask, taskById, type RunState, type TaskState, type WaveState } from './run-state.js';

/**
 * Folds one journal event into the run's state. Pure: the same events always give the same state,
 * and the old state is never modified, so the UI can compare snapshots by reference.
 */
export function reduce(state: RunState, event: JournalEvent): RunState {
  return { ...reduceEvent(state, event), updatedAt: event.at, lastSeq: event.seq };
}

/** The state after all events, from the start. */
export function replay(events: readonly JournalEvent[], from: RunState = initialRunState()): RunState {
  return replaying(() => events.reduce(reduce, from));
}

function reduceEvent(state: RunState, event: JournalEvent): RunState {
  switch (event.type) {
    case 'run-started':
      return runStarted(state, event);
    case 'run-resumed':
      return { ...state, status: 'running', tests: testsCutShort(state.tests), resumes: [...state.resumes, { at: event.at, pid: event.pid, command: event.command }] };
    case 'wave-started':
      return updateWave(state, event.wave, (wave) => ({ ...wave, status: 'running', fromSha: event.fromSha, startedAt: wave.startedAt ?? event.at }));
    case 'worktree-intent':
    case 'worktree-created':
    case 'copy-skipped':
    case 'setup-started':
    case 'setup-finished':
    case 'agent-starting':
    case 'agent-session':
    case 'agent-state':
    case 'agent-action':
    case 'task-finished':
    case 'merge-skipped':
    case 'handback-started':
      return reduceTaskEvent(state, event);
    case 'agent-usage':
      return withRateLimits(reduceTaskEvent(state, event), event);
    case 'limit-pause':
      return { ...state, limitPause: { until: event.until, usedPercentage: event.usedPercentage, threshold: event.threshold, at: event.at } };
    case 'limit-resume':
      return withoutLimitPause(state);
    case 'notify-failed':
      return { ...state, notifyFailures: [...state.notifyFailures, { at: event.at, notification: event.notification, target: event.target, error: event.error }] };
    case 'merge-intent':
      return markWaveMerging(reduceTaskEvent(state, event), event.task);
    case 'merge-done':
      return withIntegrationSha(reduceTaskEvent(state, event), event.integrationSha);
    case 'test-started':
      return testStarted(state, event);
    case 'test-finished':
      return testFinished(state, event);
    case 'retro-started':
      return updateWave(state, event.wave, (wave) => ({ ...wave, retroStartedAt: event.at }));
    case 'retro-written':
      return withIntegrationSha(
        updateWave(state, event.wave, (wave) => ({ ...wave, retro: { path: event.path, sha: event.sha, ...(event.lessons ? { lessons: event.lessons } : {}) } })),
        event.sha,
      );
    case 'retro-skipped':
      return updateWave(state, event.wave, (wave) => ({ ...wave, retroSkipped: { path: event.path, reason: event.reason } }));
    case 'land-intent':
      return { ...state, land: { branch: event.branch, from: event.from, to: event.to, status: 'landing', at: event.at } };
    case 'land-refused':
      return { ...state, landRefusal: { branch: event.branch, why: event.why, command: event.command, at: event.at } };
    case 'land-done':
      return {
        ...withoutLandRefusal(state),
        land: { branch: event.branch, from: state.land?.from ?? event.sha, to: state.land?.to ?? event.sha, status: 'landed', sha: event.sha, at: event.at },
      };
    case 'wave-finished':
      return withIntegrationSha(
        updateWave(state, event.wave, (wave) => ({ ...wave, status: 'finished', finishedAt: event.at, integrationSha: event.integrationSha })),
        event.integrationSha,
      );
    case 'run-interrupted':
      return {
        ...state,
        status: 'interrupted',
        tests: testsCutShort(state.tests),
        interruptions: [...state.interruptions, { at: event.at, reason: event.reason, signal: event.signal }],
      };
    case 'run-finished':
      return { ...state, status: 'finished', finishedAt: event.at, exitCode: event.exitCode };
    case 'repair':
      return {
        ...state,
        repairs: [...state.repairs, { at: event.at, action: event.action, task: event.task, detail: event.detail }],
      };
    default:
      return assertNever(event);
  }
}

function runStarted(state: RunState, event: EventOf<'run-started'>): RunState {
  // A Map, not assignment into an object: a task called `__proto__` must be an entry, not the prototype.
  const byId = new Map(Object.entries(state.tasks));
  for (const wave of event.waves) {
    for (const task of wave.tasks) if (!byId.has(task.id)) byId.set(task.id, newTask(task.id, wave.index, task.title, task.promptPath));
  }
  const tasks: Record<string, TaskState> = Object.fromEntries(byId);
  return {
    ...state,
    runId: event.runId,
    planFile: event.planFile,
    planName: event.planName,
    ccwaveVersion: event.ccwaveVersion,
    base: event.base,
    integration: { ...event.integration, sha: event.base.sha },
    settings: event.settings,
    ...(event.selection ? { selection: event.selection } : {}),
    status: 'running',
    startedAt: event.at,
    waves: event.waves.map((wave) => ({ index: wave.index, name: wave.name, taskIds: wave.tasks.map((t) => t.id), status: 'pending' })),
    tasks,
  };
}

function testStarted(state: RunState, event: EventOf<'test-started'>): RunState {
  const test = { testId: event.testId, wave: event.wave, tasks: event.tasks, sha: event.sha, command: event.command, startedAt: event.at, attempt: event.attempt };
  return withLastTest({ ...state, tests: [...state.tests, test] }, event.tasks, { testId: event.testId, sha: event.sha });
}

function testFinished(state: RunState, event: EventOf<'test-finished'>): RunState {
  const result = { finishedAt: event.at, passed: event.passed, exitCode: event.exitCode, durationMs: event.durationMs, outputTail: event.outputTail };
  const known = state.tests.some((test) => test.testId === event.testId);
  const tests = known
    ? state.tests.map((test) => (test.testId === event.testId ? { ...test, ...result } : test))
    : [...state.tests, { testId: event.testId, wave: event.wave, tasks: event.tasks, sha: event.sha, command: '', startedAt: event.at, attempt: event.attempt, ...result }];
  return withLastTest({ ...state, tests }, event.tasks, { testId: event.testId, sha: event.sha, passed: event.passed });
}

/** A test without a result when the run stopped (or a resume found it so) will never get one. */
function testsCutShort(tests: RunState['tests']): RunState['tests'] {
  return tests.some((test) => test.passed === undefined && !test.interrupted) ? tests.map((test) => (test.passed === undefined ? { ...test, interrupted: true } : test)) : tests;
}

/**
 * Sets the last test of every task a test covered, copying the task map once: a batch test covers
 * the whole wave, and a copy per task would cost the square of the wave's size.
 */
function withLastTest(state: RunState, taskIds: readonly string[], lastTest: TaskState['lastTest']): RunState {
  // fromEntries and spread define entries: a task called `__proto__` stays an entry.
  const tested = Object.fromEntries(taskIds.map((id) => [id, { ...(taskById(state, id) ?? newTask(id, null)), lastTest }]));
  return { ...state, tasks: { ...state.tasks, ...tested } };
}

function updateWave(state: RunState, index: number, update: (wave: WaveState) => WaveState): RunState {
  const exists = state.waves.some((wave) => wave.index === index);
  const waves = exists ? state.waves.map((wave) => (wave.index === index ? update(wave) : wave)) : [...state.waves, update({ index, name: `Wave ${index}`, taskIds: [], status: 'pending' })];
  return { ...state, waves };
}

function markWaveMerging(state: RunState, taskId: string): RunState {
  const wave = taskById(state, taskId)?.wave;
  if (wave === null || wave === undefined) return state;
  return updateWave(state, wave, (w) => (w.status === 'finished' ? w : { ...w, status: 'merging' }));
}

function withIntegrationSha(state: RunState, sha: string): RunState {
  return state.integration ? { ...state, integration: { ...state.integration, sha } } : state;
}

function assertNever(value: never): never {
  throw new Error(`unknown journal event ${JSON.stringify(value)}`);
}

function withRateLimits(state: RunState, event: EventOf<'agent-usage'>): RunState {
  return event.rateLimits ? { ...state, rateLimits: { ...event.rateLimits, at: event.at } } : state;
}

function withoutLimitPause(state: RunState): RunState {
  const { limitPause: _pause, ...rest } = state;
  return rest;
}

function withoutLandRefusal(state: RunState): RunState {
  const { landRefusal: _refusal, ...rest } = state;
  return rest;
}
