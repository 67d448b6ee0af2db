import { formatTokens, formatUsd, formatUsdLimit } from '../format/usage.js';
import type { RunState, TaskState } from '../journal/run-state.js';
import type { RateLimits, Usage } from '../journal/usage.js';
import { totalTokens } from '../journal/usage.js';
import type { Budget } from '../plan/types.js';

/**
 * The budget decisions, as pure functions over the journal's state: whether a task or the run has
 * used up its budget (and the figures that say so), which agents are still in the middle of a turn,
 * and whether the five-hour window calls for holding launches.
 */

/** A rolling window empties within five hours: a reset announced later than that is not believed. */
export const FIVE_HOUR_WINDOW_MS = 5 * 60 * 60_000;

/** The figures that reached the budget ("~$5.12 of $5"), or undefined while the usage is below it. */
export function budgetReached(usage: Usage, budget: Budget | undefined): string | undefined {
  if (!budget) return undefined;
  const reached: string[] = [];
  if (budget.usd !== undefined && usage.costUsd >= budget.usd) reached.push(`${formatUsd(usage.costUsd)} of ${formatUsdLimit(budget.usd)}`);
  const tokens = totalTokens(usage.tokens);
  if (budget.tokens !== undefined && tokens >= budget.tokens) reached.push(`${formatTokens(tokens)} of ${formatTokens(budget.tokens)} tokens`);
  return reached.length > 0 ? reached.join(', ') : undefined;
}

/**
 * An agent between turns (idle, paused, waiting for a person) may be stopped without losing work;
 * one that is starting or at work is let finish its turn.
 */
export function inTurn(task: TaskState): boolean {
  if (task.status !== 'running') return false;
  const state = task.agent?.state;
  return state === undefined || state === 'starting' || state === 'working' || state === 'unknown';
}

/** Tasks whose agent is still in the middle of a turn. */
export function tasksInTurn(state: RunState): string[] {
  return Object.values(state.tasks)
    .filter(inTurn)
    .map((task) => task.id);
}

export interface LimitPauseDecision {
  until: Date;
  usedPercentage: number;
  threshold: number;
}

/**
 * Whether the five-hour window is full enough to hold launches, and until when. A reset time in the
 * past says the window has emptied since (no pause); one further than a window's length is capped.
 */
export function limitPauseFor(limits: RateLimits | undefined, threshold: number | false, now: number): LimitPauseDecision | undefined {
  const window = limits?.fiveHour;
  if (threshold === false || !window || !(window.usedPercentage >= threshold)) return undefined;
  const resetsAt = Date.parse(window.resetsAt);
  if (!Number.isFinite(resetsAt) || resetsAt <= now) return undefined;
  return { until: new Date(Math.min(resetsAt, now + FIVE_HOUR_WINDOW_MS)), usedPercentage: window.usedPercentage, threshold };
}
