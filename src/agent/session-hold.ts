import { formatSettingDuration } from '../format/duration.js';
import type { CoreEffect, CoreState, TimerName } from './session-core-types.js';
import { USAGE_RECHECK_MS } from './session-timing.js';
import { observe } from './session-view.js';
import { stopAwaiting } from './turn-tracker.js';

/**
 * Timers and waiting: the wall and idle budgets as due times, the usage-limit pause, and the holds
 * during which the agent's silence is expected. Every timer is a due time in the core state; the
 * shell arms one real timer per name and reports it back as a `timer` input.
 */
export interface Ctx {
  s: CoreState;
  fx: CoreEffect[];
  now: number;
}

export function setTimer({ s, fx }: Ctx, name: TimerName, dueAt: number): void {
  // After the end nothing is armed: a late input must not keep the process alive for an hour.
  if (s.outcome) return;
  s.timers = { ...s.timers, [name]: dueAt };
  fx.push({ type: 'set-timer', name, dueAt });
}

export function clearTimer({ s, fx }: Ctx, name: TimerName): void {
  if (s.timers[name] === undefined) return;
  const { [name]: _gone, ...rest } = s.timers;
  s.timers = rest;
  fx.push({ type: 'clear-timer', name });
}

export function clearAllTimers(c: Ctx): void {
  for (const name of Object.keys(c.s.timers) as TimerName[]) clearTimer(c, name);
  c.s.wallRemainingMs = undefined;
}

export function restartIdle(c: Ctx): void {
  setTimer(c, 'idle', c.now + c.s.config.idleMs);
}

export function restartWall(c: Ctx): void {
  c.s.wallRemainingMs = undefined;
  setTimer(c, 'wall', c.now + c.s.config.wallMs);
}

function pauseWall(c: Ctx): void {
  const due = c.s.timers.wall;
  if (due === undefined) return;
  c.s.wallRemainingMs = Math.max(0, due - c.now);
  clearTimer(c, 'wall');
}

function resumeWall(c: Ctx): void {
  const remaining = c.s.wallRemainingMs;
  if (remaining === undefined) return;
  c.s.wallRemainingMs = undefined;
  setTimer(c, 'wall', c.now + remaining);
}

export const wallTimeoutReason = (wallMs: number): string => `wall-clock timeout after ${formatSettingDuration(wallMs)}`;
export const idleTimeoutReason = (idleMs: number): string => `idle timeout: no output and no events for ${formatSettingDuration(idleMs)}`;

/** Output or an event: the agent is alive, unless ccwave itself is the one waiting. */
export function activityObserved(c: Ctx): void {
  const { pause, waiting } = c.s;
  if (!pause && !waiting.retry && !waiting.human) restartIdle(c);
}

export function setWaiting(c: Ctx, kind: 'retry' | 'human', on: boolean): void {
  c.s.waiting = { ...c.s.waiting, [kind]: on };
  if (on) clearTimer(c, 'idle');
  else activityObserved(c);
}

/** Waits out a usage limit: until its reset (plus a margin), with the budgets stopped. */
export function startPause(c: Ctx, resetAt: Date | undefined, detail: string): void {
  const { s, now } = c;
  const policy = s.config.policy;
  const reset = resetAt?.getTime() ?? now + policy.usageLimitDefaultWaitMs;
  // Still limited after the time it named: do not hammer it with "continue".
  const until = (reset > now ? reset : now + USAGE_RECHECK_MS) + policy.usageResetMarginMs;
  s.turn = stopAwaiting(s.turn);
  // The limit explains any API error of this turn: one "continue" after the reset covers both.
  clearTimer(c, 'api-retry');
  s.waiting = { ...s.waiting, retry: false };
  pauseWall(c);
  clearTimer(c, 'idle');
  s.pause = { until, resetAt, detail };
  s.answeredLimit = detail;
  observe(s, c.fx, { type: 'screen', screen: { kind: 'usage-limit', resetAt, detail } });
  c.fx.push({ type: 'emit', event: { type: 'action', action: 'paused', detail: `usage limit until ${new Date(until).toISOString()}` } });
  setTimer(c, 'pause', Math.max(now, until));
}

export function endPause(c: Ctx, why: string): void {
  clearTimer(c, 'pause');
  c.s.pause = undefined;
  resumeWall(c);
  restartIdle(c);
  observe(c.s, c.fx, { type: 'timer', timer: 'pause-over' });
  c.fx.push({ type: 'emit', event: { type: 'action', action: 'resumed', detail: why } });
}

export function waitForHuman(c: Ctx, note: string): void {
  if (c.s.waiting.human) return;
  // A person may take long: only the wall clock applies while they are asked.
  setWaiting(c, 'human', true);
  c.fx.push({ type: 'emit', event: { type: 'action', action: 'waiting-for-human', detail: note } });
}
