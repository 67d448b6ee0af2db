import { z } from 'zod';

/** Schema version written into every event. Bump it when an event changes shape or a type is added. */
export const JOURNAL_VERSION = 4;

/**
 * The version that introduced each event type newer than 1. An event is written with the version
 * its own shape needs, so a journal without newer events still reads in an older ccwave, while
 * one with them asks that ccwave for an upgrade instead of calling the journal corrupt.
 */
const INTRODUCED_IN: Partial<Record<JournalEventType, number>> = {
  'agent-action': 2,
  'retro-started': 2,
  'agent-usage': 3,
  'limit-pause': 3,
  'limit-resume': 3,
  'notify-failed': 3,
  'agent-session': 4,
};

const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'expected a full commit sha');
const isoTime = z.iso.datetime({ offset: true });
const task = z.string().min(1);
const wave = z.number().int().nonnegative();
const count = z.number().int().nonnegative();
const exitCode = z.number().int().nullable();
/** Which run of the same commit's verdict (1 = the first; a retry after a failure is 2, ...). */
const testAttempt = z.number().int().min(1).optional();

export const AGENT_STATES = ['starting', 'working', 'waiting', 'idle', 'paused', 'unknown'] as const;
/** `over-budget`: stopped when its usage reached the task's budget; a larger budget takes it up again. */
export const TASK_OUTCOMES = ['done', 'failed', 'timeout', 'cancelled', 'skipped', 'over-budget'] as const;
/**
 * What an agent's session did on its own that a reader of the run wants to know: a follow-up it
 * typed (`nudge`, `ask-commit`), a dialog it answered, a commit it made for the agent, an API
 * error it waits out, a usage-limit pause and its end, a question left for a person, and an
 * earlier session taken up again.
 */
export const AGENT_ACTIONS = ['nudge', 'ask-commit', 'dialog', 'auto-commit', 'api-retry', 'paused', 'resumed', 'waiting-for-human', 'session-resumed'] as const;

/** The process group of a user's command (its leader's identity), so a later run can end a survivor. */
const processGroup = z.object({
  pid: z.number().int().positive(),
  hostname: z.string(),
  bootId: z.string().optional(),
  startTicks: z.number().int().nonnegative().optional(),
});

const tokenCounts = z.object({ input: count, output: count, cacheCreation: count, cacheRead: count });
/** `costUnknown`: the agent (Codex) reports tokens but no cost; `costUsd` is then 0, not a figure. */
const usage = z.object({ tokens: tokenCounts, costUsd: z.number().finite().nonnegative(), costUnknown: z.literal(true).optional() });
const rateWindow = z.object({ usedPercentage: z.number().finite().min(0), resetsAt: isoTime });
const rateLimits = z.object({ fiveHour: rateWindow.optional(), sevenDay: rateWindow.optional() });

const planTask = z.object({ id: task, title: z.string(), promptPath: z.string() });
const planWave = z.object({ index: wave, name: z.string(), tasks: z.array(planTask) });

/** Payload of each event type; `v`, `seq` and `at` are added by the journal. */
const payloads = {
  'run-started': {
    runId: z.string().min(1),
    planFile: z.string(),
    planName: z.string(),
    base: z.object({ branch: z.string(), sha }),
    integration: z.object({ branch: z.string(), worktree: z.string() }),
    /** The resolved settings, as plain JSON, so a resumed run uses the same ones. */
    settings: z.record(z.string(), z.json()),
    waves: z.array(planWave),
    ccwaveVersion: z.string().optional(),
    /**
     * Set when the run takes only some of the plan's tasks (`--only-failed`, `--task`): which ones,
     * and the earlier run whose failures they are, so a resume narrows the plan the same way.
     */
    selection: z.object({ tasks: z.array(task), rerunOf: z.string().optional() }).optional(),
  },
  'run-resumed': { pid: z.number().int(), command: z.string() },
  'wave-started': { wave, fromSha: sha },
  'worktree-intent': { task, path: z.string(), branch: z.string(), fromSha: sha },
  'worktree-created': { task, path: z.string(), branch: z.string(), fromSha: sha },
  /** A `copy` entry left out of a task's worktree, e.g. because its destination is a symlink. */
  'copy-skipped': { task, path: z.string(), reason: z.string() },
  'setup-started': { task, command: z.string(), group: processGroup.optional() },
  'setup-finished': { task, ok: z.boolean(), exitCode, durationMs: count, outputTail: z.string(), timedOut: z.boolean().optional() },
  'agent-starting': {
    task,
    attempt: z.number().int().positive(),
    /**
     * Absent for a new session of an agent that names its own (Codex): its id follows in an
     * `agent-session` event once the agent has said it.
     */
    sessionId: z.string().min(1).optional(),
    /** True when continuing an earlier session (`claude --resume`, `codex resume`). */
    resume: z.boolean(),
    agent: z.string(),
    logPath: z.string().optional(),
  },
  /** The id an agent that names its own session gave the new session: what a resume continues. */
  'agent-session': { task, attempt: z.number().int().positive(), sessionId: z.string().min(1) },
  'agent-state': {
    task,
    state: z.enum(AGENT_STATES),
    reason: z.string().optional(),
    /** For `paused`: when the agent can go on (e.g. a usage limit's reset time). */
    until: isoTime.optional(),
  },
  /** Something the session did by itself while the agent ran (see AGENT_ACTIONS). */
  'agent-action': { task, attempt: z.number().int().positive(), action: z.enum(AGENT_ACTIONS), detail: z.string().optional() },
  /**
   * What one session of a task's agent has used so far, in total (all its launches and attempts):
   * written now and then while it works and when it stops, not for every message.
   */
  'agent-usage': {
    task,
    attempt: z.number().int().positive(),
    sessionId: z.string().min(1),
    usage,
    model: z.string().optional(),
    /** The account's windows as the agent last reported them (subscriptions only). */
    rateLimits: rateLimits.optional(),
  },
  'task-finished': {
    task,
    status: z.enum(TASK_OUTCOMES),
    reason: z.string().optional(),
    tipSha: sha.optional(),
    /** Commits on the task branch since it forked, less those it took in from the integration branch to resolve a conflict. */
    commits: count,
    /** The agent's own last message, for the retrospective. */
    lastMessage: z.string().optional(),
  },
  'merge-intent': { task, tip: sha, into: sha },
  /**
   * A merge conflict handed back to the task's own agent, journaled before its session continues:
   * a resumed run continues it with the same request, and never hands the same round back twice.
   */
  'handback-started': { task, round: z.number().int().positive(), integrationTip: sha, paths: z.array(z.string()), overlapping: z.array(task) },
  'merge-done': {
    task,
    tip: sha,
    result: z.enum(['merged', 'already-merged']),
    /** The merge commit; for already-merged, the earlier merge when one was found by trailer. */
    mergeSha: sha.optional(),
    integrationSha: sha,
  },
  'merge-skipped': {
    task,
    tip: sha.optional(),
    result: z.enum(['empty', 'conflict', 'tests-failed']),
    conflictedPaths: z.array(z.string()).default([]),
    reason: z.string().optional(),
  },
  'test-started': { testId: z.string().min(1), wave: wave.optional(), tasks: z.array(task), sha, command: z.string(), attempt: testAttempt, group: processGroup.optional() },
  'test-finished': {
    testId: z.string().min(1),
    wave: wave.optional(),
    tasks: z.array(task),
    sha,
    attempt: testAttempt,
    passed: z.boolean(),
    exitCode,
    durationMs: count,
    outputTail: z.string(),
    /** Ended at `commandTimeout`. */
    timedOut: z.boolean().optional(),
  },
  /** The wave's retrospective is being written (with `retro.agent`, Claude may take minutes). */
  'retro-started': { wave },
  'retro-written': {
    wave,
    path: z.string(),
    sha,
    /** With `retro.agent`: the lessons Claude drew from the wave, given to the next waves' agents. */
    lessons: z.string().optional(),
  },
  /** The retrospective was not committed, e.g. its path goes through a symlink an agent committed. */
  'retro-skipped': { wave, path: z.string(), reason: z.string() },
  'land-intent': { branch: z.string(), from: sha, to: sha },
  'land-done': { branch: z.string(), sha },
  /** Base was left alone (a dirty checkout, a file in the way, ...): why, and how to land by hand. */
  'land-refused': { branch: z.string(), why: z.string(), command: z.string() },
  'wave-finished': { wave, integrationSha: sha },
  /** No new agent starts until `until`: the five-hour window passed `threshold` percent. */
  'limit-pause': { until: isoTime, usedPercentage: z.number().finite().min(0), threshold: z.number().finite().min(0) },
  /** Agents may start again. */
  'limit-resume': {},
  /** A notification could not be delivered (after its retry); `target` is the command or the URL's host. */
  'notify-failed': { notification: z.string().min(1), target: z.string(), error: z.string() },
  'run-interrupted': { reason: z.string(), signal: z.string().optional() },
  'run-finished': { exitCode: z.number().int() },
  /** Something resume reconciliation found and fixed (e.g. a merge done but not journaled). */
  repair: { action: z.string(), task: task.optional(), detail: z.string() },
} as const;

type Payloads = typeof payloads;
export type JournalEventType = keyof Payloads;

const envelope = {
  v: z.number().int().min(1).max(JOURNAL_VERSION),
  seq: z.number().int().positive(),
  at: isoTime,
};

function eventSchema<T extends JournalEventType>(type: T) {
  return z.strictObject({ ...envelope, type: z.literal(type), ...payloads[type] });
}

const schemas = (Object.keys(payloads) as JournalEventType[]).map((type) => eventSchema(type));
type EventSchemas = { [T in JournalEventType]: ReturnType<typeof eventSchema<T>> };

export const journalEventSchema = z.discriminatedUnion('type', schemas as unknown as [EventSchemas[JournalEventType], ...EventSchemas[JournalEventType][]]);

/** One line of the journal. */
export type JournalEvent = { [T in JournalEventType]: z.output<EventSchemas[T]> }[JournalEventType];
export type EventOf<T extends JournalEventType> = Extract<JournalEvent, { type: T }>;
/** What a caller appends: the journal adds `v`, `seq` and `at`. */
export type NewJournalEvent = { [T in JournalEventType]: Omit<z.input<EventSchemas[T]>, 'v' | 'seq' | 'at'> }[JournalEventType];

export const JOURNAL_EVENT_TYPES = Object.keys(payloads) as JournalEventType[];

/** The version `event` is written with: its type's, or newer when it uses a newer value. */
export function versionOf(event: Pick<NewJournalEvent, 'type'> & { status?: unknown; sessionId?: unknown; usage?: { costUnknown?: true } }): number {
  if (event.type === 'task-finished' && event.status === 'over-budget') return 3;
  if (event.type === 'agent-starting' && event.sessionId === undefined) return 4;
  if (event.type === 'agent-usage' && event.usage?.costUnknown) return 4;
  return INTRODUCED_IN[event.type] ?? 1;
}
export type AgentAction = (typeof AGENT_ACTIONS)[number];
export type AgentState = (typeof AGENT_STATES)[number];
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];
