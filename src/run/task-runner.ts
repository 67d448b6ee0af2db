import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { PtyHost } from '../agent/pty-host.js';
import { runAgentTask } from '../agent/session.js';
import { withAgentGuards } from './agent-guards.js';
import type { AgentEvent, AgentResult, SessionAction } from '../agent/session-types.js';
import type { AgentState as HostState } from '../agent/state.js';
import type { AgentState } from '../journal/events.js';
import type { Task } from '../plan/types.js';
import { keepTaskCommits, keptRefPrefix } from '../git/keep-commits.js';
import { describeFailure, runShell } from '../process/user-command.js';
import { adapterFor } from './adapters.js';
import { planCommands } from './plan-commands.js';
import { sandboxFor } from './sandbox-paths.js';
import { ensureTaskWorktree } from './worktree-setup.js';
import { lessonsBefore } from './retro-lessons.js';
import type { RunContext } from './context.js';
import type { UsagePause } from './usage-pause.js';
import { journaledAction } from './agent-actions.js';
import { BUDGET_RAISED_MESSAGE, taskBudgetReached } from './budget-tasks.js';
import { taskOverBudgetReason } from './budget-watch.js';
import { UsageMeter } from './usage-meter.js';
import { systemClock } from '../agent/deadline.js';

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
  // A session that was running when ccwave stopped or crashed is continued, not started afresh,
  // and in the same attempt: ccwave's own stop is not the agent's failure and costs no retry. So is
  // one stopped at its budget, once the budget is raised.
  let resume: string | undefined = before.sessionId ? (before.status === 'running' ? RESTART_MESSAGE : before.status === 'over-budget' ? BUDGET_RAISED_MESSAGE : undefined) : undefined;
  // An agent that names its own session may have died before it said which: start anew, noted.
  let fresh: { note: string } | undefined = !before.sessionId && before.status === 'running' && before.attempts > 0 ? { note: FRESH_SESSION_NOTE } : undefined;
  let sameAttempt = resume !== undefined || fresh !== undefined;
  for (;;) {
    // Each attempt is a new launch: none while launches are held (the run's budget is used up).
    await pause.wait(ctx.stop.signal);
    if (ctx.stop.stopping || pause.held) return;
    const over = taskBudgetReached(ctx.recorder.state, task);
    if (over) {
      finishOverBudget(ctx, task.id, taskOverBudgetReason(over));
      return;
    }
    const result = await runAttempt(ctx, task, pause, resume, { ...(fresh ? { fresh } : {}), sameAttempt });
    const attempt = ctx.recorder.state.tasks[task.id]!.attempts;
    if (result.sessionNotFound && !fresh) {
      // The session died before its first message (e.g. ccwave crashed at launch): start anew,
      // in the same worktree and attempt, keeping whatever is committed there.
      fresh = { note: FRESH_SESSION_NOTE };
      resume = undefined;
      sameAttempt = true;
      continue;
    }
    if (stoppedByPerson(ctx, task.id, result)) return;
    if (result.status === 'interrupted') return;
    if (result.status === 'done' || attempt >= maxAttempts) {
      finish(ctx, task.id, result);
      return;
    }
    resume = RETRY_MESSAGE(result.reason);
    sameAttempt = false;
  }
}

/** One more attempt asked for by a person (`r`), continuing the task's session. */
export async function retryTask(ctx: RunContext, task: Task, pause: UsagePause): Promise<void> {
  const previous = ctx.recorder.state.tasks[task.id]?.reason ?? 'it did not finish';
  const result = await runAttempt(ctx, task, pause, RETRY_MESSAGE(previous));
  if (stoppedByPerson(ctx, task.id, result)) return;
  if (result.status !== 'interrupted') finish(ctx, task.id, result);
}

/**
 * A task stopped with `k` or at its budget (not by the run's own stop) is over: cancelled or
 * over budget, with what it committed. An interrupted task without an outcome would stay
 * "running" and be resumed by the next run.
 */
function stoppedByPerson(ctx: RunContext, taskId: string, result: AgentResult): boolean {
  const cause = ctx.taskStops.causeOf(taskId);
  if (result.status !== 'interrupted' || !cause || ctx.stop.stopping) return false;
  const tip = result.commits.at(-1);
  const outcome = cause.kind === 'over-budget' ? { status: 'over-budget' as const, reason: cause.reason } : { status: 'cancelled' as const, reason: 'stopped from the UI' };
  ctx.recorder.record({ type: 'task-finished', task: taskId, ...outcome, commits: result.commits.length, ...(tip ? { tipSha: tip } : {}) });
  return true;
}

/** Over its budget before an attempt starts: ends with what it committed earlier. */
function finishOverBudget(ctx: RunContext, taskId: string, reason: string): void {
  const state = ctx.recorder.state.tasks[taskId]!;
  ctx.recorder.record({ type: 'task-finished', task: taskId, status: 'over-budget', reason, commits: state.commits ?? 0, ...(state.tipSha ? { tipSha: state.tipSha } : {}) });
}

export interface AttemptOptions {
  /** A new session replacing one that could not be resumed, with a note added to the prompt. */
  fresh?: { note: string };
  /** Continues the attempt ccwave's stop or crash cut short, instead of counting a new one. */
  sameAttempt?: boolean;
}

/**
 * One run of the task's agent in its worktree: a new session, or the existing one continued with
 * `resume` (after a crash, for a retry, or to resolve a merge conflict).
 */
export async function runAttempt(ctx: RunContext, task: Task, pause: UsagePause, resumeWith: string | undefined, options: AttemptOptions = {}): Promise<AgentResult> {
  const dir = taskDir(ctx, task.id);
  await ensureTaskWorktree(ctx, task, ctx.recorder.state.tasks[task.id]!.worktree!.fromSha);
  const state = ctx.recorder.state.tasks[task.id]!;
  const worktree = state.worktree!;
  const sandbox = await sandboxFor(ctx.repo, worktree.path, task.settings);
  const adapter = adapterFor(task.settings, ctx.plan.root, ctx.plan.settings.commandTimeout, sandbox);
  const attempt = options.sameAttempt && state.attempts > 0 ? state.attempts : state.attempts + 1;
  // A session whose id was never learned (its agent names its own and died first) cannot be
  // continued: a new one gets the note, and what it was to be told.
  const unnamed = resumeWith !== undefined && !options.fresh && !state.sessionId;
  const fresh = unnamed ? { note: `${FRESH_SESSION_NOTE}\n\n${resumeWith}` } : options.fresh;
  const resume = unnamed ? undefined : resumeWith;
  const sessionId = fresh || !state.sessionId ? randomUUID() : state.sessionId;
  // An agent that names its own session gets its id journaled once it has said it.
  const journaledId = adapter.namesOwnSession && resume === undefined ? {} : { sessionId };
  ctx.recorder.record({ type: 'agent-starting', task: task.id, attempt, ...journaledId, resume: resume !== undefined, agent: adapter.name, logPath: path.join(dir, 'pty.log') });
  const guarded = { taskId: task.id, worktree: worktree.path, saveDir: path.join(dir, `git-changes-${attempt}`) };
  const meter = new UsageMeter(ctx.recorder, { taskId: task.id, attempt, clock: systemClock, costUnknown: adapter.costUnknown === true });
  const result = await withAgentGuards(ctx, guarded, () =>
    runAgentTask({
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
        commands: planCommands(ctx.plan.settings.test, task.settings),
      },
      timeouts: { wallMs: task.settings.timeout, idleMs: task.settings.idleTimeout },
      ...(resume !== undefined ? { resume: { message: resume } } : {}),
      policy: { permission: task.settings.permissionPrompt, maxNudges: task.settings.nudges },
      baseSha: worktree.fromSha,
      ...(task.settings.agent.kind === 'claude' ? { launchGate: ctx.claudeLaunches } : {}),
      registry: ctx.registry,
      signal: ctx.taskStops.signalFor(task.id, ctx.stop.signal),
      onEvent: (event) => onAgentEvent(ctx, task.id, attempt, event, pause, meter),
      ...(ctx.onHost ? { onHost: (host: PtyHost) => ctx.onHost!(task.id, host) } : {}),
    }),
  ).finally(() => meter.flush());
  await keepCommits(ctx, task.id, result);
  return result;
}

/** Whatever the agent did to its branch, the commits it made stay reachable under refs/ccwave/kept/. */
async function keepCommits(ctx: RunContext, taskId: string, result: AgentResult): Promise<void> {
  const worktree = ctx.recorder.state.tasks[taskId]!.worktree!;
  const tip = result.commits.at(-1);
  try {
    await keepTaskCommits(ctx.repo, { runId: ctx.runId, taskId, worktree: worktree.path, branch: worktree.branch, fromSha: worktree.fromSha, ...(tip ? { tip, inTip: result.commits } : {}) });
  } catch (error) {
    // The journal still names the tip; a failed extra ref is worth a line, not the run.
    ctx.live.line(taskId, `could not keep its commits under ${keptRefPrefix(ctx.runId, taskId)}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function withLessons(prompt: string, lessons: string | undefined): string {
  return lessons ? `${prompt.trimEnd()}\n\n${lessons}\n` : prompt;
}

/** `commits`: how many to credit the task with; by default every commit since its fork point. */
export function finish(ctx: RunContext, taskId: string, result: AgentResult, commits = result.commits.length): void {
  const tip = result.commits.at(-1);
  ctx.recorder.record({
    type: 'task-finished',
    task: taskId,
    status: result.status === 'done' ? 'done' : result.status === 'timeout' ? 'timeout' : 'failed',
    reason: result.reason,
    commits,
    ...(tip ? { tipSha: tip } : {}),
    ...(result.lastMessage ? { lastMessage: result.lastMessage } : {}),
  });
}

/**
 * Runs the plan's `setup` in a new worktree once; a failure (or its time limit) fails the task
 * with the log's tail. A setup cut short by the run's stop records nothing more: the task stays
 * as it is and its setup runs again on resume.
 */
async function runSetup(ctx: RunContext, task: Task, dir: string): Promise<boolean> {
  const command = task.settings.setup;
  if (!command || ctx.recorder.state.tasks[task.id]!.setup?.ok) return true;
  // Setup runs in the worktree too: it must be the task's own, not what another agent put there.
  await ensureTaskWorktree(ctx, task, ctx.recorder.state.tasks[task.id]!.worktree!.fromSha);
  const worktree = ctx.recorder.state.tasks[task.id]!.worktree!.path;
  ctx.live.line(task.id, `setup: ${command}`);
  const timeoutMs = ctx.plan.settings.commandTimeout;
  const outcome = await runShell(command, worktree, path.join(dir, 'setup.log'), {
    timeoutMs,
    signal: ctx.stop.signal,
    tracker: ctx.registry,
    // Journaled with its process group, so a run resumed after a crash can end a survivor.
    onSpawn: (group) => ctx.recorder.record({ type: 'setup-started', task: task.id, command, group }),
  });
  if (outcome.end === 'interrupted') return false;
  const { exitCode, durationMs, outputTail } = outcome;
  ctx.recorder.record({ type: 'setup-finished', task: task.id, ok: outcome.passed, exitCode, durationMs, outputTail, ...(outcome.end === 'timeout' ? { timedOut: true } : {}) });
  if (outcome.passed) return true;
  ctx.recorder.record({ type: 'task-finished', task: task.id, status: 'failed', reason: describeFailure('setup', outcome, timeoutMs), commits: 0 });
  return false;
}

function onAgentEvent(ctx: RunContext, taskId: string, attempt: number, event: AgentEvent, pause: UsagePause, meter: UsageMeter): void {
  if (event.type === 'session') {
    ctx.recorder.record({ type: 'agent-session', task: taskId, attempt, sessionId: event.sessionId });
    return;
  }
  if (event.type === 'usage') {
    meter.reading(event.reading);
    return;
  }
  if (event.type === 'hook') {
    if (event.event.hook_event_name === 'Stop') meter.turnEnded();
    return;
  }
  if (event.type === 'activity') {
    ctx.live.line(taskId, event.line);
    return;
  }
  if (event.type === 'action') {
    recordAction(ctx, taskId, event.action, event.detail);
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

function recordAction(ctx: RunContext, taskId: string, sessionAction: SessionAction, detail: string | undefined): void {
  const action = journaledAction(sessionAction);
  if (!action) return;
  const attempt = Math.max(1, ctx.recorder.state.tasks[taskId]?.attempts ?? 1);
  ctx.recorder.record({ type: 'agent-action', task: taskId, attempt, action, ...(detail !== undefined ? { detail } : {}) });
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
