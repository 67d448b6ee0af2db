import type { AgentAction } from './events.js';
import type { JournalWarning } from './parse-journal.js';
import type { RunActivity } from './run-activity.js';
import { isTaskOver, type RunState, type TaskState, type TestState, type WaveState } from './run-state.js';
import { totalTokens, type RateWindow, type Usage } from './usage.js';
import { runUsage, waveUsage } from './usage-totals.js';

/**
 * Version of the `ccwave status --json` document. Fields may be added within a version; a field
 * renamed, removed or given another meaning bumps it.
 */
export const STATUS_JSON_VERSION = 1;

/**
 * `ccwave status --json`: the public shape other programs read. It is built from RunState, not
 * RunState itself, so the reducer's internals can change without breaking a script. Every field
 * is always present; what is not known yet is null.
 */
export interface StatusJson {
  schemaVersion: typeof STATUS_JSON_VERSION;
  /** Null when the repository has no run yet. */
  run: RunJson | null;
  /** Lines of the journal that could not be read. */
  warnings: Array<{ line: number; message: string }>;
}

export interface RunJson {
  id: string;
  plan: { file: string; name: string };
  ccwaveVersion: string | null;
  status: RunState['status'];
  activity: RunActivity;
  startedAt: string | null;
  updatedAt: string | null;
  finishedAt: string | null;
  exitCode: number | null;
  base: { branch: string; sha: string } | null;
  integration: { branch: string; worktree: string; sha: string } | null;
  waves: WaveJson[];
  tasks: TaskJson[];
  tests: TestJson[];
  land: { branch: string; status: 'landing' | 'landed'; sha: string | null; at: string } | null;
  landRefusal: { branch: string; why: string; command: string; at: string } | null;
  interruptions: Array<{ at: string; reason: string }>;
  /** What the run's agents used so far; null when none reported usage (e.g. plain command agents). */
  usage: UsageJson | null;
  /** The account's windows as an agent last reported them (subscriptions only); `at`: when. */
  rateLimits: { fiveHour: RateWindow | null; sevenDay: RateWindow | null; at: string } | null;
  /** Set while no new agent starts because the five-hour window passed `threshold` percent. */
  limitPause: { until: string; usedPercentage: number; threshold: number; at: string } | null;
  /** Notifications that could not be delivered: which, to what (a command, or a webhook's host), and why. */
  notifyFailures: Array<{ at: string; notification: string; target: string; error: string }>;
}

/**
 * Usage as Claude Code reported it: tokens summed from its transcripts (`total` is every token
 * read or written, cache included), and `costUsd`, Claude Code's own estimate at list prices.
 */
export interface UsageJson {
  tokens: { input: number; output: number; cacheCreation: number; cacheRead: number; total: number };
  costUsd: number;
  /** Present when an agent that reports no cost (Codex) spent some of the tokens: `costUsd` leaves its part out. */
  costUnknown?: true;
}

export interface WaveJson {
  index: number;
  name: string;
  status: WaveState['status'];
  tasks: string[];
  startedAt: string | null;
  finishedAt: string | null;
  integrationSha: string | null;
  retrospective: string | null;
  /** What the wave's agents used; null when none reported usage. */
  usage: UsageJson | null;
}

export interface TaskJson {
  id: string;
  title: string;
  wave: number | null;
  status: TaskState['status'];
  reason: string | null;
  attempts: number;
  worktree: string | null;
  branch: string | null;
  /** What the agent is doing; null once the task is over (or before it starts). */
  agent: { state: string; reason: string | null; until: string | null } | null;
  startedAt: string | null;
  finishedAt: string | null;
  tipSha: string | null;
  commits: number | null;
  lastMessage: string | null;
  merge: { status: string; sha: string | null; conflictedPaths: string[]; reason: string | null } | null;
  /** What ccwave did for the agent by itself (see AGENT_ACTIONS): how often per kind, and the latest. */
  actions: { counts: Partial<Record<AgentAction, number>>; last: { action: AgentAction; attempt: number; detail: string | null; at: string } | null };
  /** What its agent used in all, per attempt (keyed "1", "2", …), and its model; null when it reported nothing. */
  usage: { total: UsageJson; byAttempt: Record<string, UsageJson>; model: string | null } | null;
}

export interface TestJson {
  wave: number | null;
  tasks: string[];
  sha: string;
  command: string;
  passed: boolean | null;
  exitCode: number | null;
  durationMs: number | null;
  startedAt: string;
  finishedAt: string | null;
  interrupted: boolean;
}

export function statusJson(view: { state: RunState; activity: RunActivity; warnings: readonly JournalWarning[] } | undefined): StatusJson {
  const warnings = (view?.warnings ?? []).map(({ line, message }) => ({ line, message }));
  return { schemaVersion: STATUS_JSON_VERSION, run: view ? runJson(view.state, view.activity) : null, warnings };
}

function runJson(state: RunState, activity: RunActivity): RunJson {
  const order = state.waves.flatMap((w) => w.taskIds);
  const unlisted = Object.keys(state.tasks).filter((id) => !order.includes(id));
  return {
    id: state.runId,
    plan: { file: state.planFile, name: state.planName },
    ccwaveVersion: state.ccwaveVersion ?? null,
    status: state.status,
    activity,
    startedAt: state.startedAt ?? null,
    updatedAt: state.updatedAt ?? null,
    finishedAt: state.finishedAt ?? null,
    exitCode: state.exitCode ?? null,
    base: state.base ?? null,
    integration: state.integration ?? null,
    waves: state.waves.map((wave) => waveJson(wave, state)),
    tasks: [...order, ...unlisted].flatMap((id) => (state.tasks[id] ? [taskJson(state.tasks[id])] : [])),
    tests: state.tests.map(testJson),
    land: state.land ? { branch: state.land.branch, status: state.land.status, sha: state.land.sha ?? null, at: state.land.at } : null,
    landRefusal: state.landRefusal ?? null,
    interruptions: state.interruptions.map(({ at, reason }) => ({ at, reason })),
    usage: Object.values(state.tasks).some((task) => task.usage) ? usageJson(runUsage(state)) : null,
    rateLimits: state.rateLimits ? { fiveHour: state.rateLimits.fiveHour ?? null, sevenDay: state.rateLimits.sevenDay ?? null, at: state.rateLimits.at } : null,
    limitPause: state.limitPause ?? null,
    notifyFailures: state.notifyFailures ?? [],
  };
}

/** Dollars summed from many reports carry float noise (0.41999999999999993); a millionth of a dollar is plenty. */
const COST_DIGITS = 1e6;

function usageJson(usage: Usage): UsageJson {
  return {
    tokens: { ...usage.tokens, total: totalTokens(usage.tokens) },
    costUsd: Math.round(usage.costUsd * COST_DIGITS) / COST_DIGITS,
    ...(usage.costUnknown ? { costUnknown: true } : {}),
  };
}

function waveJson(wave: WaveState, state: RunState): WaveJson {
  return {
    index: wave.index,
    name: wave.name,
    status: wave.status,
    tasks: wave.taskIds,
    startedAt: wave.startedAt ?? null,
    finishedAt: wave.finishedAt ?? null,
    integrationSha: wave.integrationSha ?? null,
    retrospective: wave.retro?.path ?? null,
    usage: wave.taskIds.some((id) => state.tasks[id]?.usage) ? usageJson(waveUsage(state, wave.index)) : null,
  };
}

function taskJson(task: TaskState): TaskJson {
  // The agent's screen state is only news while it runs; after that the outcome says it all.
  const live = task.agent && !isTaskOver(task.status) && task.status !== 'pending';
  return {
    id: task.id,
    title: task.title,
    wave: task.wave,
    status: task.status,
    reason: task.reason ?? null,
    attempts: task.attempts,
    worktree: task.worktree?.path ?? null,
    branch: task.worktree?.branch ?? null,
    agent: live && task.agent ? { state: task.agent.state, reason: task.agent.reason ?? null, until: task.agent.until ?? null } : null,
    startedAt: task.startedAt ?? null,
    finishedAt: task.finishedAt ?? null,
    tipSha: task.tipSha ?? null,
    commits: task.commits ?? null,
    lastMessage: task.lastMessage ?? null,
    merge: task.merge ? { status: task.merge.status, sha: task.merge.mergeSha ?? null, conflictedPaths: task.merge.conflictedPaths, reason: task.merge.reason ?? null } : null,
    actions: {
      counts: task.actions?.counts ?? {},
      last: task.actions ? { ...task.actions.last, detail: task.actions.last.detail ?? null } : null,
    },
    usage: task.usage
      ? {
          total: usageJson(task.usage.total),
          byAttempt: Object.fromEntries(Object.entries(task.usage.byAttempt).map(([attempt, usage]) => [attempt, usageJson(usage)])),
          model: task.usage.model ?? null,
        }
      : null,
  };
}

function testJson(test: TestState): TestJson {
  return {
    wave: test.wave ?? null,
    tasks: test.tasks,
    sha: test.sha,
    command: test.command,
    passed: test.passed ?? null,
    exitCode: test.exitCode ?? null,
    durationMs: test.durationMs ?? null,
    startedAt: test.startedAt,
    finishedAt: test.finishedAt ?? null,
    interrupted: test.interrupted === true,
  };
}
