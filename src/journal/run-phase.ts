import type { JournalEvent } from './events.js';
import { isTaskOver, type RunState, type TaskState, type WaveState } from './run-state.js';
import { shortSha } from '../format/sha.js';

export type PhaseKind = 'agents' | 'merging' | 'testing' | 'retro' | 'landing';

export interface RunPhase {
  wave: number;
  kind: PhaseKind;
  /** e.g. "merging feature-002 (3/5)", "testing 4f2a1c9 (run 2)". */
  detail?: string;
}

/** The wave the runner is at: started and not finished. */
function activeWave(state: RunState): WaveState | undefined {
  return state.waves.find((wave) => wave.status === 'running' || wave.status === 'merging');
}

function waveTasks(state: RunState, wave: WaveState): TaskState[] {
  return wave.taskIds.flatMap((id) => state.tasks[id] ?? []);
}

/**
 * What the running wave is doing, read from the journal alone: landing, writing its
 * retrospective, testing a commit, merging a task, or its agents at work. Undefined when the run
 * is not running or no wave is under way.
 */
export function runPhase(state: RunState): RunPhase | undefined {
  if (state.status !== 'running') return undefined;
  const wave = activeWave(state);
  if (!wave) return undefined;
  const at = (kind: PhaseKind, detail?: string): RunPhase => ({ wave: wave.index, kind, ...(detail ? { detail } : {}) });
  const land = state.land;
  // A refusal after the intent (git said no) ends that landing too.
  if (land?.status === 'landing' && !(state.landRefusal && Date.parse(state.landRefusal.at) >= Date.parse(land.at))) return at('landing');
  if (wave.retroStartedAt && !wave.retro && !wave.retroSkipped) return at('retro');
  const test = state.tests.findLast((t) => t.wave === wave.index && t.passed === undefined && !t.interrupted);
  if (test) return at('testing', `testing ${shortSha(test.sha)}${(test.attempt ?? 1) > 1 ? ` (run ${test.attempt})` : ''}`);
  const tasks = waveTasks(state, wave);
  const merging = tasks.find((task) => task.merge?.status === 'merging');
  if (merging) {
    // The queue's candidates: finished tasks with commits; those with a merge outcome were taken.
    const candidates = tasks.filter((task) => task.merge !== undefined || (task.status === 'done' && (task.commits ?? 0) > 0));
    const taken = candidates.filter((task) => task.merge !== undefined).length;
    return at('merging', `merging ${merging.id} (${taken}/${candidates.length})`);
  }
  // An agent resolving a merge conflict runs during the merge phase, not as one of the wave's agents.
  if (wave.status === 'running' && tasks.some((task) => !isTaskOver(task.status))) return at('agents');
  return at('merging');
}

/** When ccwave last (re)started: agents from before then are no longer running. */
function runnerStart(state: RunState): number {
  const at = state.resumes.at(-1)?.at ?? state.startedAt;
  return at === undefined ? Number.NEGATIVE_INFINITY : Date.parse(at);
}

/** The task's agent was started by this ccwave and has not ended. */
function agentLive(task: TaskState, since: number): boolean {
  return task.status === 'running' && task.agent !== undefined && Date.parse(task.agent.since) >= since;
}

/**
 * When the account's usage limit lets agents go on: the latest reset time among running agents
 * paused for one. No new agent starts before it.
 */
export function pausedUntil(state: RunState): string | undefined {
  const since = runnerStart(state);
  let latest: string | undefined;
  for (const task of Object.values(state.tasks)) {
    const until = agentLive(task, since) && task.agent?.state === 'paused' ? task.agent.until : undefined;
    if (until && (latest === undefined || Date.parse(until) > Date.parse(latest))) latest = until;
  }
  return latest;
}

/**
 * The events after which `pausedUntil` may say something new: those that start the runner or a
 * task's agent, change an agent's state, or end or restart a task. Anything else (merges, tests,
 * usage, notifications) leaves it as it was, so a listener can skip going through every task.
 */
export function mayChangePause(event: JournalEvent): boolean {
  return PAUSE_EVENTS.has(event.type);
}

const PAUSE_EVENTS: ReadonlySet<JournalEvent['type']> = new Set([
  'run-started',
  'run-resumed',
  'worktree-intent',
  'worktree-created',
  'setup-started',
  'agent-starting',
  'agent-state',
  'task-finished',
]);

/**
 * How many tasks hold one of the run's agent slots: agents started since ccwave last (re)started,
 * and setup commands still running. A task left "running" by a crash holds none until it resumes.
 */
export function agentsRunning(state: RunState): number {
  const since = runnerStart(state);
  return Object.values(state.tasks).filter((task) => {
    if (task.status === 'running') return agentLive(task, since);
    return task.status === 'preparing' && task.setup !== undefined && task.setup.ok === undefined && Date.parse(task.setup.startedAt) >= since;
  }).length;
}
