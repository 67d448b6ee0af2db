import type { RateLimits, Usage } from './usage.js';
import { TASK_OUTCOMES, type AgentAction, type AgentState, type EventOf, type TaskOutcome } from './events.js';

export type JsonValue = EventOf<'run-started'>['settings'][string];
export type RunStatus = 'not-started' | 'running' | 'interrupted' | 'finished';
export type WaveStatus = 'pending' | 'running' | 'merging' | 'finished';
export type TaskStatus = 'pending' | 'preparing' | 'running' | TaskOutcome;
export type MergeStatus = 'merging' | 'merged' | 'already-merged' | 'empty' | 'conflict' | 'tests-failed';

export interface TaskState {
  id: string;
  title: string;
  promptPath: string;
  /** Null for a task the plan snapshot did not list (should not happen; kept visible if it does). */
  wave: number | null;
  status: TaskStatus;
  reason?: string;
  worktree?: { path: string; branch: string; fromSha: string; created: boolean };
  /** `copy` entries left out of the worktree, and why. */
  copySkipped?: Array<{ path: string; reason: string }>;
  setup?: { command: string; startedAt: string; ok?: boolean; exitCode?: number | null; durationMs?: number; outputTail?: string };
  attempts: number;
  /** The session the next resume continues. */
  sessionId?: string;
  sessionIds: string[];
  agent?: { name: string; state: AgentState; reason?: string; until?: string; since: string; logPath?: string };
  /** What the agent's session did by itself, over all attempts: how often, and the latest. */
  actions?: {
    counts: Partial<Record<AgentAction, number>>;
    last: { action: AgentAction; attempt: number; detail?: string; at: string };
  };
  /** What its agent used (see `agent-usage`): in total, per attempt, and per session as last reported. */
  usage?: TaskUsage;
  startedAt?: string;
  finishedAt?: string;
  tipSha?: string;
  commits?: number;
  /** The agent's own last message when the task finished. */
  lastMessage?: string;
  merge?: {
    status: MergeStatus;
    tip?: string;
    /** Integration tip the merge started from. */
    into?: string;
    mergeSha?: string;
    conflictedPaths: string[];
    reason?: string;
    at: string;
  };
  lastTest?: { testId: string; sha: string; passed?: boolean };
  /** The last merge conflict handed back to the agent; `pending` until the task finishes again. */
  handback?: { round: number; integrationTip: string; paths: string[]; overlapping: string[]; pending: boolean; at: string };
}

export interface TaskUsage {
  total: Usage;
  /** Keyed by attempt number. */
  byAttempt: Record<string, Usage>;
  /** Each session's totals as last journaled: the next report of a session adds only what is new. */
  bySession: Record<string, Usage>;
  model?: string;
}

export interface WaveState {
  index: number;
  name: string;
  taskIds: string[];
  status: WaveStatus;
  fromSha?: string;
  startedAt?: string;
  finishedAt?: string;
  integrationSha?: string;
  /** When its retrospective started being written; `retro` or `retroSkipped` says how that ended. */
  retroStartedAt?: string;
  retro?: { path: string; sha: string; lessons?: string };
  /** Why the retrospective was not committed, when it was refused. */
  retroSkipped?: { path: string; reason: string };
}

export interface TestState {
  testId: string;
  wave?: number;
  tasks: string[];
  sha: string;
  command: string;
  startedAt: string;
  /** Which run of one verdict on `sha` (undefined: the first); see `testRetries`. */
  attempt?: number | undefined;
  finishedAt?: string;
  passed?: boolean;
  exitCode?: number | null;
  durationMs?: number;
  outputTail?: string;
  /** The run stopped or died before it ended: no verdict, it is run again after the resume. */
  interrupted?: boolean;
}

/** Everything `ccwave status`, the UI and the retrospective need, rebuilt from the journal alone. */
export interface RunState {
  runId: string;
  planFile: string;
  planName: string;
  ccwaveVersion?: string;
  base?: { branch: string; sha: string };
  /** `sha` is the integration branch's tip as far as the journal knows. */
  integration?: { branch: string; worktree: string; sha: string };
  settings: Record<string, JsonValue>;
  /** The plan's tasks this run takes, when not all of them (see `run-started`). */
  selection?: { tasks: string[]; rerunOf?: string };
  status: RunStatus;
  startedAt?: string;
  updatedAt?: string;
  finishedAt?: string;
  exitCode?: number;
  waves: WaveState[];
  tasks: Record<string, TaskState>;
  tests: TestState[];
  land?: { branch: string; from: string; to: string; status: 'landing' | 'landed'; sha?: string; at: string };
  /** The last landing that was refused (cleared by a landing that succeeds). */
  landRefusal?: { branch: string; why: string; command: string; at: string };
  interruptions: Array<{ at: string; reason: string; signal?: string }>;
  resumes: Array<{ at: string; pid: number; command: string }>;
  repairs: Array<{ at: string; action: string; task?: string; detail: string }>;
  /** The account's windows as an agent last reported them (subscriptions only). */
  rateLimits?: RateLimits & { at: string };
  /** Set while no new agent may start because the five-hour window passed the threshold. */
  limitPause?: { until: string; usedPercentage: number; threshold: number; at: string };
  /** Notifications that could not be delivered. */
  notifyFailures: Array<{ at: string; notification: string; target: string; error: string }>;
  /** Sequence number of the last event folded in. */
  lastSeq: number;
}

export function initialRunState(): RunState {
  return {
    runId: '',
    planFile: '',
    planName: '',
    settings: {},
    status: 'not-started',
    waves: [],
    tasks: {},
    tests: [],
    interruptions: [],
    resumes: [],
    repairs: [],
    notifyFailures: [],
    lastSeq: 0,
  };
}

/** True once a task has an outcome (done, failed, timeout, cancelled, skipped). */
/**
 * The task the journal named `id`, if any. A task id is any folder name, `constructor` or
 * `__proto__` included: only the map's own entries count, never what every object inherits.
 */
export function taskById(state: RunState, id: string): TaskState | undefined {
  return Object.hasOwn(state.tasks, id) ? state.tasks[id] : undefined;
}

export function isTaskOver(status: TaskStatus): boolean {
  return (TASK_OUTCOMES as readonly string[]).includes(status);
}

export function newTask(id: string, wave: number | null, title = id, promptPath = ''): TaskState {
  return { id, title, promptPath, wave, status: 'pending', attempts: 0, sessionIds: [] };
}
