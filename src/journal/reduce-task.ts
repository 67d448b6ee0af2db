import type { EventOf, JournalEvent } from './events.js';
import { newTask, taskById, type RunState, type TaskState, type TaskUsage } from './run-state.js';
import { addUsage, NO_USAGE, usageDelta } from './usage.js';

/** Events about one task, keyed by their `task` field. */
export type TaskEvent = Extract<JournalEvent, { task: string }>;

/**
 * Task maps made during a replay (see `replaying`): nobody else holds them, so the replay may
 * change them in place instead of copying the whole map for each event, which made a long journal's
 * replay quadratic in its tasks.
 */
let ownedTaskMaps: WeakSet<object> | undefined;

/** Runs `reduceAll` with task maps it creates owned by it; once it returns they are immutable like any other. */
export function replaying<T>(reduceAll: () => T): T {
  const outer = ownedTaskMaps;
  ownedTaskMaps = new WeakSet();
  try {
    return reduceAll();
  } finally {
    ownedTaskMaps = outer;
  }
}

/** Returns `state` with task `id` replaced by `update(task)`; an unknown id gets a stub, not a crash. */
export function updateTask(state: RunState, id: string, update: (task: TaskState) => TaskState): RunState {
  const next = update(taskById(state, id) ?? newTask(id, null));
  if (ownedTaskMaps?.has(state.tasks)) {
    // Defined, not assigned: an id like `__proto__` is a key like any other.
    Object.defineProperty(state.tasks, id, { value: next, writable: true, enumerable: true, configurable: true });
    return { ...state };
  }
  const tasks = { ...state.tasks, [id]: next };
  ownedTaskMaps?.add(tasks);
  return { ...state, tasks };
}

type TaskReducers = {
  [T in TaskEvent['type']]: (task: TaskState, event: EventOf<T>) => TaskState;
};

/** How each task event changes its task. Pure: returns new objects, never edits the old ones. */
export const taskReducers: TaskReducers = {
  'worktree-intent': (task, e) => ({
    ...task,
    status: 'preparing',
    worktree: { path: e.path, branch: e.branch, fromSha: e.fromSha, created: false },
  }),
  'worktree-created': (task, e) => ({
    ...task,
    status: task.status === 'pending' ? 'preparing' : task.status,
    worktree: { path: e.path, branch: e.branch, fromSha: e.fromSha, created: true },
  }),
  'copy-skipped': (task, e) => ({
    ...task,
    copySkipped: [...(task.copySkipped ?? []).filter((skip) => skip.path !== e.path), { path: e.path, reason: e.reason }],
  }),
  'setup-started': (task, e) => ({ ...task, status: 'preparing', setup: { command: e.command, startedAt: e.at } }),
  'setup-finished': (task, e) => ({
    ...task,
    setup: {
      command: task.setup?.command ?? '',
      startedAt: task.setup?.startedAt ?? e.at,
      ok: e.ok,
      exitCode: e.exitCode,
      durationMs: e.durationMs,
      outputTail: e.outputTail,
    },
  }),
  'agent-starting': (task, e) => ({
    ...task,
    status: 'running',
    reason: undefined,
    attempts: Math.max(task.attempts, e.attempt),
    // A new session of an agent that names its own has no id yet: the old one is not its.
    sessionId: e.sessionId,
    sessionIds: withSession(task.sessionIds, e.sessionId),
    agent: { name: e.agent, state: 'starting', since: e.at, logPath: e.logPath },
    startedAt: task.startedAt ?? e.at,
    finishedAt: undefined,
  }),
  'agent-session': (task, e) => ({ ...task, sessionId: e.sessionId, sessionIds: withSession(task.sessionIds, e.sessionId) }),
  'agent-state': (task, e) => ({
    ...task,
    agent: { name: task.agent?.name ?? '', logPath: task.agent?.logPath, state: e.state, reason: e.reason, until: e.until, since: e.at },
  }),
  'agent-action': (task, e) => ({
    ...task,
    actions: {
      counts: { ...task.actions?.counts, [e.action]: (task.actions?.counts[e.action] ?? 0) + 1 },
      last: { action: e.action, attempt: e.attempt, ...(e.detail !== undefined ? { detail: e.detail } : {}), at: e.at },
    },
  }),
  'agent-usage': (task, e) => ({ ...task, usage: addSessionUsage(task.usage, e) }),
  'task-finished': (task, e) => ({
    ...task,
    ...(task.handback?.pending ? { handback: { ...task.handback, pending: false } } : {}),
    status: e.status,
    reason: e.reason,
    tipSha: e.tipSha,
    commits: e.commits,
    lastMessage: e.lastMessage,
    finishedAt: e.at,
  }),
  'merge-intent': (task, e) => ({ ...task, merge: { status: 'merging', tip: e.tip, into: e.into, conflictedPaths: [], at: e.at } }),
  'handback-started': (task, e) => ({
    ...task,
    handback: { round: e.round, integrationTip: e.integrationTip, paths: e.paths, overlapping: e.overlapping, pending: true, at: e.at },
  }),
  'merge-done': (task, e) => ({
    ...task,
    merge: { status: e.result, tip: e.tip, into: task.merge?.into, mergeSha: e.mergeSha, conflictedPaths: [], at: e.at },
  }),
  'merge-skipped': (task, e) => ({
    ...task,
    merge: { status: e.result, tip: e.tip ?? task.merge?.tip, into: task.merge?.into, conflictedPaths: e.conflictedPaths, reason: e.reason, at: e.at },
  }),
};

function withSession(ids: string[], id: string | undefined): string[] {
  return id === undefined || ids.includes(id) ? ids : [...ids, id];
}

/** Folds a session's new totals in: only what they add to its last report counts, once. */
function addSessionUsage(usage: TaskUsage | undefined, e: EventOf<'agent-usage'>): TaskUsage {
  const before = usage ?? { total: NO_USAGE, byAttempt: {}, bySession: {} };
  const own = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
  const delta = usageDelta(e.usage, own(before.bySession, e.sessionId) ?? NO_USAGE);
  const attempt = String(e.attempt);
  return {
    total: addUsage(before.total, delta),
    byAttempt: { ...before.byAttempt, [attempt]: addUsage(own(before.byAttempt, attempt) ?? NO_USAGE, delta) },
    bySession: { ...before.bySession, [e.sessionId]: e.usage },
    ...((e.model ?? before.model) ? { model: e.model ?? before.model } : {}),
  };
}

export function reduceTaskEvent(state: RunState, event: TaskEvent): RunState {
  // TypeScript cannot pair a union member with its own reducer; the table's type guarantees it.
  const reducer = taskReducers[event.type] as (task: TaskState, e: TaskEvent) => TaskState;
  return updateTask(state, event.task, (task) => reducer(task, event));
}
