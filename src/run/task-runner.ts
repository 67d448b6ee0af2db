import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PtyHost } from '../agent/pty-host.js';
import { runAgentTask } from '../agent/session.js';
import { withAgentGuards } from './agent-guards.js';
import type { AgentEvent, AgentResult } from '../agent/session-types.js';
import type { AgentState as HostState } from '../agent/state.js';
import type { AgentState } from '../journal/events.js';
import type { Task } from '../plan/types.js';
import { keepTaskCommits, keptRefPrefix } from '../git/keep-commits.js';
import { runShell } from '../merge/test-command.js';
import { adapterFor } from './adapters.js';
import { lessonsBefore } from './retro-lessons.js';
import type { RunContext } from './context.js';
import type { UsagePause } from './usage-pause.js';

/** What a retry tells the agent, so it continues instead of starting over. */
const RETRY_MESSAGE = (reason: string): string =>
  `Your previous attempt at this task ended without finishing: ${reason}. Look at what is already done in this worktree, then continue the task. Nobody will answer questions. Commit your work when done.`;
/** What a session resumed after ccwave itself stopped is told. */
export const RESTART_MESSAGE = 'ccwave was restarted. Continue the task where you left off; commit your work when done.';

/** Added to the prompt of a new session that replaces one that could not be resumed. */
const FRESH_SESSION_NOTE =
  'Note: ccwave was restarted and your earlier session could not be resumed. Earlier work on this task may already be committed in this worktree: look at `git log` and `git status` first, and continue from there.';

/** The per-task folder inside the run's data: hook channel, prompt, PTY log, last screen. */
export function taskDir(ctx: RunContext, taskId: string): string {
  return path.join(ctx.runDir, 'tasks', taskId);
}

/**
 * Runs one task to a final status: its setup command, then agent attempts (a retry continues the
 * same session with what went wrong). A failure is journaled as the task's outcome; an interrupted
 * task is left as it is, to be resumed.
 */
export async function runTask(ctx: RunContext, task: Task, pause: UsagePause): Promise<void> {
  const dir = taskDir(ctx, task.id);
  mkdirSync(dir, { recursive: true });
  if (!(await runSetup(ctx, task, dir))) return;
  const maxAttempts = 1 + task.settings.retries;
  const before = ctx.recorder.state.tasks[task.id]!;
  // A session that was running when ccwave stopped is continued, not started afresh.
  let resume: string | undefined = before.status === 'running' && before.sessionId ? RESTART_MESSAGE : undefined;
  let fresh: { note: string } | undefined;
  for (;;) {
    if (ctx.stop.stopping) return;
    const attempt = ctx.recorder.state.tasks[task.id]!.attempts + 1;
    const result = await runAttempt(ctx, task, pause, resume, fresh);
    if (result.sessionNotFound && !fresh) {
      // The session died before its first message (e.g. ccwave crashed at launch): start anew,
      // in the same worktree, keeping whatever is committed there.
      fresh = { note: FRESH_SESSION_NOTE };
      resume = undefined;
      continue;
    }
    if (result.status === 'interrupted' && ctx.taskStops.stopped(task.id) && !ctx.stop.stopping) {
      ctx.recorder.record({ type: 'task-finished', task: task.id, status: 'cancelled', reason: 'stopped from the UI', commits: result.commits.length, ...(result.commits.at(-1) ? { tipSha: result.commits.at(-1)! } : {}) });
      return;
    }
    if (result.status === 'interrupted') return;
    if (result.status === 'done' || attempt >= maxAttempts) {
      finish(ctx, task.id, result);
      return;
    }
    resume = RETRY_MESSAGE(result.reason);
  }
}

/** One more attempt asked for by a person (`r`), continuing the task's session. */
export async function retryTask(ctx: RunContext, task: Task, pause: UsagePause): Promise<void> {
  const previous = ctx.recorder.state.tasks[task.id]?.reason ?? 'it did not finish';
  const result = await runAttempt(ctx, task, pause, RETRY_MESSAGE(previous));
  if (result.status !== 'interrupted') finish(ctx, task.id, result);
}

/**
 * One run of the task's agent in its worktree: a new session, or the existing one continued with
 * `resume` (after a crash, for a retry, or to resolve a merge conflict).
 */
export async function runAttempt(
  ctx: RunContext,
  task: Task,
  pause: UsagePause,
  resume: string | undefined,
  fresh?: { note: string },
): Promise<AgentResult> {
  const dir = taskDir(ctx, task.id);
  const adapter = adapterFor(task.settings, ctx.plan.root);
  const state = ctx.recorder.state.tasks[task.id]!;
  const worktree = state.worktree!;
  const attempt = state.attempts + 1;
  const sessionId = fresh || !state.sessionId ? randomUUID() : state.sessionId;
  ctx.recorder.record({ type: 'agent-starting', task: task.id, attempt, sessionId, resume: resume !== undefined, agent: adapter.name, logPath: path.join(dir, 'pty.log') });
  const guarded = { taskId: task.id, worktree: worktree.path, saveDir: path.join(dir, `git-changes-${attempt}`) };
  const result = await withAgentGuards(ctx, guarded, () => runAgentTask({
    adapter,
    task: {
      taskId: task.id,
      runId: ctx.runId,
      worktree: worktree.path,
      branch: worktree.branch,
      prompt: withLessons(fresh ? `${task.prompt.trimEnd()}\n\n${fresh.note}\n` : task.prompt, lessonsBefore(ctx.recorder.state, task.wave)),
      acceptanceCriteria: task.criteria.map((c) => c.text),
      taskDir: dir,
      sessionId,
    },
    timeouts: { wallMs: task.settings.timeout, idleMs: task.settings.idleTimeout },
    ...(resume !== undefined ? { resume: { message: resume } } : {}),
    policy: { permission: task.settings.permissionPrompt, maxNudges: task.settings.nudges },
    baseSha: worktree.fromSha,
    registry: ctx.registry,
    signal: ctx.taskStops.signalFor(task.id, ctx.stop.signal),
    onEvent: (event) => onAgentEvent(ctx, task.id, event, pause),
    ...(ctx.onHost ? { onHost: (host: PtyHost) => ctx.onHost!(task.id, host) } : {}),
  }));
  await keepCommits(ctx, task.id, result);
  return result;
}

/** Whatever the agent did to its branch, the commits it made stay reachable under refs/ccwave/kept/. */
async function keepCommits(ctx: RunContext, taskId: string, result: AgentResult): Promise<void> {
  const worktree = ctx.recorder.state.tasks[taskId]!.worktree!;
  const tip = result.commits.at(-1);
  try {
    await keepTaskCommits(ctx.repo, { runId: ctx.runId, taskId, worktree: worktree.path, branch: worktree.branch, fromSha: worktree.fromSha, ...(tip ? { tip } : {}) });
  } catch (error) {
    // The journal still names the tip; a failed extra ref is worth a line, not the run.
    ctx.live.line(taskId, `could not keep its commits under ${keptRefPrefix(ctx.runId, taskId)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function withLessons(prompt: string, lessons: string | undefined): string {
  return lessons ? `${prompt.trimEnd()}\n\n${lessons}\n` : prompt;
}

export function finish(ctx: RunContext, taskId: string, result: AgentResult): void {
  const tip = result.commits.at(-1);
  ctx.recorder.record({
    type: 'task-finished',
    task: taskId,
    status: result.status === 'done' ? 'done' : result.status === 'timeout' ? 'timeout' : 'failed',
    reason: result.reason,
    commits: result.commits.length,
    ...(tip ? { tipSha: tip } : {}),
    ...(result.lastMessage ? { lastMessage: result.lastMessage } : {}),
  });
}

/** Runs the plan's `setup` in a new worktree once; a failure fails the task with the log's tail. */
async function runSetup(ctx: RunContext, task: Task, dir: string): Promise<boolean> {
  const command = task.settings.setup;
  const state = ctx.recorder.state.tasks[task.id]!;
  if (!command || state.setup?.ok) return true;
  const worktree = state.worktree!.path;
  ctx.recorder.record({ type: 'setup-started', task: task.id, command });
  ctx.live.line(task.id, `setup: ${command}`);
  const outcome = await runShell(command, worktree, path.join(dir, 'setup.log'));
  ctx.recorder.record({ type: 'setup-finished', task: task.id, ok: outcome.passed, exitCode: outcome.exitCode, durationMs: outcome.durationMs, outputTail: outcome.outputTail });
  if (outcome.passed) return true;
  const lastLine = outcome.outputTail.trim().split('\n').at(-1) ?? '';
  ctx.recorder.record({ type: 'task-finished', task: task.id, status: 'failed', reason: `setup failed (exit ${outcome.exitCode}): ${lastLine}`.trim(), commits: 0 });
  return false;
}

function onAgentEvent(ctx: RunContext, taskId: string, event: AgentEvent, pause: UsagePause): void {
  if (event.type === 'activity') {
    ctx.live.line(taskId, event.line);
    return;
  }
  if (event.type !== 'state') return;
  const journaled = toJournalState(event.state);
  if (!journaled) return;
  if (event.state.kind === 'paused' && event.state.until) pause.hit(event.state.until);
  const known = ctx.recorder.state.tasks[taskId]?.agent;
  if (known && known.state === journaled.state && known.reason === journaled.reason && known.until === journaled.until) return;
  ctx.recorder.record({ type: 'agent-state', task: taskId, ...journaled });
}

/** The host's detailed state as the journal records it; terminal states are the task's outcome instead. */
function toJournalState(state: HostState): { state: AgentState; reason?: string; until?: string } | undefined {
  switch (state.kind) {
    case 'starting':
    case 'unknown':
      return { state: state.kind };
    case 'working':
      // The detail (which tool runs) changes constantly: it goes to the live line, not the journal.
      return { state: 'working' };
    case 'waiting':
      return { state: 'waiting', reason: state.reason };
    case 'idle':
      return { state: 'idle', ...(state.cause !== 'turn-end' ? { reason: state.cause } : {}) };
    case 'paused':
      return { state: 'paused', reason: 'usage limit', ...(state.until ? { until: state.until.toISOString() } : {}) };
    default:
      return undefined;
  }
}
