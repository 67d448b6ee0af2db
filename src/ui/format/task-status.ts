import { inlineText } from '../../control-chars.js';
import type { TaskState } from '../../journal/run-state.js';
import { formatDuration } from '../../format/duration.js';
import { oneLine } from './text.js';

/** Every way a task row can look; finer than TaskStatus because merges and agent states show too. */
export type TaskKind =
  | 'pending'
  | 'preparing'
  | 'starting'
  | 'working'
  | 'waiting'
  | 'idle'
  | 'paused'
  | 'unknown'
  | 'done'
  | 'merging'
  | 'testing'
  | 'merged'
  | 'empty'
  | 'conflict'
  | 'tests-failed'
  | 'failed'
  | 'timeout'
  | 'cancelled'
  | 'skipped'
  | 'stopped'
  | 'queued'
  | 'over-budget';

/**
 * One distinct symbol per kind, so status reads without colour (NO_COLOR, colour-blind users).
 * All are single-width in terminals; emoji are avoided because their width varies.
 */
export const TASK_ICONS: Readonly<Record<TaskKind, string>> = {
  pending: '·',
  preparing: '◌',
  starting: '◎',
  working: '▸',
  waiting: '!',
  idle: '◦',
  paused: '‖',
  unknown: '?',
  done: '✓',
  merging: '⇢',
  testing: '⋯',
  merged: '●',
  empty: '∅',
  conflict: '≠',
  'tests-failed': '⊗',
  failed: '✗',
  timeout: '◷',
  cancelled: '⊘',
  skipped: '↷',
  stopped: '■',
  queued: '…',
  'over-budget': '$',
};

/** Kinds drawn with a spinner in the TUI, because something is happening right now. */
export const BUSY_KINDS: ReadonlySet<TaskKind> = new Set<TaskKind>(['preparing', 'starting', 'working', 'merging', 'testing']);

export type Tone = 'muted' | 'active' | 'attention' | 'good' | 'bad';

export const KIND_TONES: Readonly<Record<TaskKind, Tone>> = {
  pending: 'muted',
  preparing: 'active',
  starting: 'active',
  working: 'active',
  waiting: 'attention',
  idle: 'muted',
  paused: 'attention',
  unknown: 'attention',
  done: 'good',
  merging: 'active',
  testing: 'active',
  merged: 'good',
  empty: 'muted',
  conflict: 'bad',
  'tests-failed': 'bad',
  failed: 'bad',
  timeout: 'bad',
  cancelled: 'muted',
  skipped: 'muted',
  stopped: 'attention',
  queued: 'muted',
  'over-budget': 'attention',
};

export interface TaskDisplay {
  kind: TaskKind;
  /** e.g. "working", "waiting: permission", "paused until 15:00 (usage limit)", "failed: idle timeout". */
  label: string;
}

/** `hourMinute` formats an ISO time as "15:00" (injected so tests need no time zone). */
export function describeTask(task: TaskState, hourMinute: (iso: string) => string): TaskDisplay {
  switch (task.status) {
    case 'pending':
      return { kind: 'pending', label: 'pending' };
    case 'preparing':
      return describePreparing(task);
    case 'running':
      return describeAgent(task, hourMinute);
    case 'done':
      return describeMerge(task);
    case 'failed':
      return { kind: 'failed', label: withReason('failed', task.reason) };
    case 'timeout':
      return { kind: 'timeout', label: withReason('failed', task.reason ?? 'timed out') };
    case 'cancelled':
    case 'skipped':
      return { kind: task.status, label: withReason(task.status, task.reason) };
    case 'over-budget':
      return { kind: 'over-budget', label: withReason('over budget', task.reason) };
  }
}

/**
 * Worktrees are made for the whole wave before its agents queue for a slot: one that is ready,
 * with no setup at work and no agent yet, is waiting its turn, not being prepared.
 */
function describePreparing(task: TaskState): TaskDisplay {
  if (task.setup && task.setup.ok === undefined) return { kind: 'preparing', label: 'setup' };
  if (task.worktree?.created) return { kind: 'queued', label: 'queued' };
  return { kind: 'preparing', label: 'preparing' };
}

/** A task as every view says it: its icon, its words, and how long it ran or has been running. */
export interface TaskWords extends TaskDisplay {
  icon: string;
  /** "6m55s"; undefined for a task that never started. */
  duration?: string;
}

export interface WordsContext {
  /** The clock for a task still going: now while the run is live, else the run's last moment. */
  nowMs: number;
  hourMinute: (iso: string) => string;
  /** The run is over (finished, interrupted, no live runner): a task still marked running was cut short. */
  runOver?: boolean;
}

/**
 * The one description of a task that the TUI rows, `ccwave status`, the plain log and the summary
 * all show, each laid out its own way, so the same task reads the same everywhere.
 */
export function taskWords(task: TaskState, ctx: WordsContext): TaskWords {
  const shown = describeTask(task, ctx.hourMinute);
  const active = task.status === 'running' || task.status === 'preparing';
  // Cut short by a stop; it resumes on the next run. Not "running": nothing runs it any more.
  const display: TaskDisplay = ctx.runOver && active ? { kind: 'stopped', label: `stopped (was ${shown.kind})` } : shown;
  const ms = taskMs(task, ctx.nowMs);
  return { ...display, icon: TASK_ICONS[display.kind], ...(ms === undefined ? {} : { duration: formatDuration(ms) }) };
}

/** A finished task's whole span; a task still marked going counts up to `nowMs`. */
function taskMs(task: TaskState, nowMs: number): number | undefined {
  if (!task.startedAt) return undefined;
  const end = task.finishedAt ? Date.parse(task.finishedAt) : nowMs;
  const ms = end - Date.parse(task.startedAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The adapter name of plain command agents (src/agent/command): no screen is read, no session kept. */
export const COMMAND_AGENT = 'command';

function describeAgent(task: TaskState, hourMinute: (iso: string) => string): TaskDisplay {
  const agent = task.agent;
  // A command agent reports no state of its own: once launched, it runs until it exits.
  if (agent?.name === COMMAND_AGENT && agent.state === 'starting') return { kind: 'working', label: 'running' };
  if (!agent || agent.state === 'starting') return { kind: 'starting', label: 'starting' };
  switch (agent.state) {
    case 'working':
      return { kind: 'working', label: 'working' };
    case 'waiting':
      return { kind: 'waiting', label: withReason('waiting', agent.reason ?? 'input') };
    case 'idle':
      return { kind: 'idle', label: withReason('idle', agent.reason) };
    case 'paused': {
      const until = agent.until ? `paused until ${hourMinute(agent.until)}` : 'paused';
      return { kind: 'paused', label: agent.reason ? `${until} (${oneLine(agent.reason)})` : until };
    }
    case 'unknown':
      return { kind: 'unknown', label: 'unknown' };
  }
}

function describeMerge(task: TaskState): TaskDisplay {
  const merge = task.merge;
  const testing = task.lastTest !== undefined && task.lastTest.passed === undefined;
  if (!merge) return { kind: 'done', label: 'done' };
  switch (merge.status) {
    case 'merging':
      return testing ? { kind: 'testing', label: 'testing' } : { kind: 'merging', label: 'merging' };
    case 'merged':
    case 'already-merged':
      if (testing) return { kind: 'testing', label: 'merged, testing' };
      // A task a new run found merged into base before it started says where: "already merged in 1a2b3c4 (run …)".
      if (merge.status === 'already-merged') return { kind: 'merged', label: task.reason ? oneLine(task.reason) : 'merged (earlier)' };
      // A conflict its agent resolved stays visible after the merge.
      return { kind: 'merged', label: task.handback ? 'merged (conflict resolved)' : 'merged' };
    case 'empty':
      return { kind: 'empty', label: 'done: no commits' };
    case 'conflict':
      return { kind: 'conflict', label: withReason('conflict', merge.conflictedPaths.map(inlineText).join(', ') || merge.reason) };
    case 'tests-failed':
      return { kind: 'tests-failed', label: withReason('tests failed', merge.reason) };
  }
}

function withReason(word: string, reason: string | undefined): string {
  const text = reason === undefined ? '' : oneLine(reason);
  return text ? `${word}: ${text}` : word;
}

/** How the header and wave summaries group kinds into counts, in display order. */
export const COUNT_GROUPS: ReadonlyArray<{ label: string; kinds: readonly TaskKind[] }> = [
  { label: 'stopped', kinds: ['stopped'] },
  { label: 'running', kinds: ['preparing', 'starting', 'working', 'idle', 'unknown'] },
  { label: 'waiting', kinds: ['waiting'] },
  { label: 'paused', kinds: ['paused'] },
  { label: 'merging', kinds: ['merging', 'testing'] },
  { label: 'merged', kinds: ['merged'] },
  { label: 'done', kinds: ['done', 'empty'] },
  { label: 'failed', kinds: ['failed', 'timeout', 'conflict', 'tests-failed'] },
  { label: 'cancelled', kinds: ['cancelled'] },
  { label: 'skipped', kinds: ['skipped'] },
  { label: 'over budget', kinds: ['over-budget'] },
  { label: 'queued', kinds: ['queued'] },
  { label: 'pending', kinds: ['pending'] },
];

/** "2 running · 1 merged · 3 pending": non-zero groups only. */
export function formatCounts(kinds: readonly TaskKind[]): string {
  return COUNT_GROUPS.map((group) => ({ label: group.label, n: kinds.filter((k) => group.kinds.includes(k)).length }))
    .filter((group) => group.n > 0)
    .map((group) => `${group.n} ${group.label}`)
    .join(' · ');
}
