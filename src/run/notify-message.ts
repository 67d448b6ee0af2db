import { CONTROL_CHARS } from '../control-chars.js';
import { formatTokens, formatUsd } from '../format/usage.js';
import type { EventOf, JournalEvent } from '../journal/events.js';
import { taskById, type RunState } from '../journal/run-state.js';
import { runUsage, taskUsage, waveUsage } from '../journal/usage-totals.js';
import { totalTokens, type Usage } from '../journal/usage.js';
import { usageText } from '../journal/usage-text.js';
import type { NotifyEvent } from '../plan/notify-setting.js';
import { isTaskMerged } from './exit-code.js';

/** What is sent: one human line (`text`, which chat webhooks show as is) and the facts behind it. */
export interface Notification {
  event: NotifyEvent;
  text: string;
  runId: string;
  plan: string;
  /** When it happened (the journal event's time). */
  at: string;
  task?: string;
  wave?: number;
  /** The task's outcome, or the merge's result for a conflict. */
  status?: string;
  reason?: string;
  exitCode?: number;
  /** When a usage pause ends. */
  until?: string;
  /** Of the task, the wave, or the whole run so far; the dollars are Claude Code's estimate. */
  /** `costUnknown`: an agent (Codex) reported no cost, so `costUsd` leaves its part out. */
  usage?: { tokens: number; costUsd: number; costUnknown?: true };
}

/** A chat line stays readable: anything longer is cut. */
const MAX_TEXT = 400;
/** A reason can be a command's output: enough to see why. */
const MAX_REASON = 1000;

/**
 * The notification a journal event calls for, given the state after it; undefined for the
 * many events nobody needs to be told about. Pure: a table of events in, notifications out.
 */
export function notificationFor(event: JournalEvent, state: RunState): Notification | undefined {
  const base = { runId: state.runId, plan: state.planName, at: event.at };
  const make = (kind: NotifyEvent, line: string, facts: Partial<Notification> = {}): Notification => ({
    event: kind,
    text: oneLine(`ccwave ${state.planName}: ${line}`, MAX_TEXT),
    ...base,
    ...facts,
  });
  switch (event.type) {
    case 'task-finished':
      return taskFinished(event, state, make);
    case 'merge-skipped':
      return mergeSkipped(event, state, make);
    case 'agent-action':
      return agentAction(event, state, make);
    case 'limit-pause':
      return make('usage-paused', `five-hour window at ${Math.round(event.usedPercentage)}% (threshold ${event.threshold}%): no new agents until ${clock(event.until)}`, { until: event.until });
    case 'limit-resume':
      return make('usage-resumed', 'the five-hour window reset: new agents may start again');
    case 'wave-finished':
      return waveFinished(event, state, make);
    case 'run-finished':
      return runFinished(event, state, make);
    case 'run-interrupted':
      return make('run-interrupted', `run stopped: ${inert(event.reason)}; \`ccwave run\` resumes it`, { reason: bounded(event.reason), usage: figures(runUsage(state)) });
    default:
      return undefined;
  }
}

type Make = (kind: NotifyEvent, line: string, facts?: Partial<Notification>) => Notification;

function taskFinished(event: EventOf<'task-finished'>, state: RunState, make: Make): Notification | undefined {
  const facts = { task: event.task, ...waveOf(state, event.task), status: event.status, ...(event.reason ? { reason: bounded(event.reason) } : {}), usage: figures(taskUsage(state, event.task)) };
  const why = event.reason ? `: ${inert(event.reason)}` : '';
  if (event.status === 'failed') return make('task-failed', `${inert(event.task)} failed${why}`, facts);
  if (event.status === 'timeout') return make('task-failed', `${inert(event.task)} timed out${why}`, facts);
  if (event.status === 'over-budget') return make('task-over-budget', `${inert(event.task)} stopped over budget${why}`, facts);
  return undefined;
}

function mergeSkipped(event: EventOf<'merge-skipped'>, state: RunState, make: Make): Notification | undefined {
  const facts = { task: event.task, ...waveOf(state, event.task), status: event.result, ...(event.reason ? { reason: bounded(event.reason) } : {}) };
  if (event.result === 'conflict') {
    const paths = event.conflictedPaths.length
      ? ` in ${event.conflictedPaths.slice(0, 3).map(inert).join(', ')}${event.conflictedPaths.length > 3 ? ` and ${event.conflictedPaths.length - 3} more` : ''}`
      : '';
    return make('task-conflict', `${inert(event.task)} not merged: a conflict${paths} (${inert(event.reason ?? 'conflicted')})`, facts);
  }
  // Its work is not in the result either: it needs a person as much as a failure does.
  if (event.result === 'tests-failed') return make('task-failed', `${inert(event.task)} not merged: ${inert(event.reason ?? 'the tests failed')}`, facts);
  return undefined;
}

/**
 * A usage limit belongs to the account: when it hits, every agent pauses, one after another.
 * The first pause and the last agent going on are what a person wants to hear, not each agent.
 */
function agentAction(event: EventOf<'agent-action'>, state: RunState, make: Make): Notification | undefined {
  const facts = { task: event.task, ...waveOf(state, event.task), ...(event.detail ? { reason: bounded(event.detail) } : {}) };
  const othersPaused = Object.values(state.tasks).some((task) => task.id !== event.task && task.agent?.state === 'paused' && task.status === 'running');
  if (event.action === 'waiting-for-human') return make('task-waiting', `${inert(event.task)} is waiting for a person${event.detail ? `: ${inert(event.detail)}` : ''}`, facts);
  if (event.action === 'paused') {
    if (othersPaused) return undefined;
    const until = taskById(state, event.task)?.agent?.until;
    return make('usage-paused', `usage limit reached (${inert(event.task)}): agents wait${until ? ` until ${clock(until)}` : ''}`, { ...facts, ...(until ? { until } : {}) });
  }
  if (event.action === 'resumed') return othersPaused ? undefined : make('usage-resumed', `usage limit over: agents go on (${inert(event.task)})`, facts);
  return undefined;
}

function waveFinished(event: EventOf<'wave-finished'>, state: RunState, make: Make): Notification {
  const wave = state.waves.find((w) => w.index === event.wave);
  const tasks = (wave?.taskIds ?? []).flatMap((id) => taskById(state, id) ?? []);
  const merged = tasks.filter(isTaskMerged).length;
  const name = wave && wave.name !== `Wave ${wave.index}` ? ` (${inert(wave.name)})` : '';
  const usage = waveUsage(state, event.wave);
  const line = `wave ${event.wave}${name} finished: ${merged} of ${tasks.length} merged${usedText(usage)}`;
  return make('wave-finished', line, { wave: event.wave, usage: figures(usage) });
}

function runFinished(event: EventOf<'run-finished'>, state: RunState, make: Make): Notification {
  const tasks = Object.values(state.tasks);
  const merged = tasks.filter(isTaskMerged).length;
  const usage = runUsage(state);
  const facts = { exitCode: event.exitCode, usage: figures(usage) };
  if (event.exitCode === 0) return make('run-finished', `run finished: ${merged} of ${tasks.length} merged${usedText(usage)}`, facts);
  return make('run-failed', `run finished with exit ${event.exitCode}: ${tasks.length - merged} of ${tasks.length} not merged${usedText(usage)}`, facts);
}

function waveOf(state: RunState, taskId: string): { wave?: number } {
  const wave = taskById(state, taskId)?.wave;
  return typeof wave === 'number' ? { wave } : {};
}

function figures(usage: Usage): NonNullable<Notification['usage']> {
  return { tokens: totalTokens(usage.tokens), costUsd: usage.costUsd, ...(usage.costUnknown ? { costUnknown: true } : {}) };
}

function usedText(usage: Usage): string {
  const tokens = totalTokens(usage.tokens);
  if (tokens === 0 && usage.costUsd === 0) return '';
  // An agent that reports no cost (Codex) is never "$0.00".
  return usage.costUnknown ? ` · ${usageText(usage)}` : ` · ${formatTokens(tokens)} tokens, ${formatUsd(usage.costUsd)}`;
}

/** "2026-12-02 14:05 UTC": a receiver may be anywhere. */
function clock(iso: string): string {
  const time = new Date(iso);
  return Number.isNaN(time.getTime()) ? iso : `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Text from an agent, a command's output or a file name is hostile: in the chat line it must not
 * become a link, a mention of everyone (`<!channel>`, `@here`) or markup a receiver acts on.
 */
function inert(text: string): string {
  return text
    .replaceAll('<', '‹')
    .replaceAll('>', '›')
    .replace(/@(channel|here|everyone|all)\b/gi, '@\u2060$1');
}

/** One line without control characters, cut at `max`. */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').replace(CONTROL_CHARS, '').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function bounded(text: string): string {
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}
