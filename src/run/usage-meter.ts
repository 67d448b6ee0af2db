import type { TimerClock } from '../agent/deadline.js';
import type { UsageReading } from '../agent/session-types.js';
import type { RunRecorder } from '../journal/recorder.js';
import { taskById } from '../journal/run-state.js';
import type { RateLimits, RateWindow, TokenCounts, Usage } from '../journal/usage.js';
import { NO_TOKENS, NO_USAGE } from '../journal/usage.js';

/**
 * How often, at most, a session's usage is journaled while it changes between turn ends: often
 * enough that a crash loses little and a budget sees spending soon, seldom enough that a busy
 * agent (a status line after every message) does not fill the journal.
 */
export const USAGE_JOURNAL_INTERVAL_MS = 15_000;

/** A figure beyond this is not a real count: kept out so the journal stays readable. */
const MAX_FIGURE = Number.MAX_SAFE_INTEGER;
/** The last moment an ISO time in the journal can name (year 9999). */
const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);
/** A model name is shown in one column; anything longer is not a model name. */
const MAX_MODEL_LENGTH = 100;

interface Pending {
  sessionId: string;
  usage: Usage;
  model?: string;
  rateLimits?: RateLimits;
}

/**
 * Turns one attempt's usage readings into `agent-usage` events. A reading is the session's totals
 * (tokens from the transcript, all launches) and its process's cost (the status line). Written:
 * the first reading of each launch, at each turn end, at the attempt's end, and otherwise at most
 * every `intervalMs` while something changed (a timer writes the last change of a quiet spell);
 * never one event per message.
 *
 * Claude Code restores a session's cost on `--resume` only when the earlier process saved it: a
 * launch whose first cost is below what the journal has for the session adds the difference to
 * each of its readings, so a crash never makes the session's cost go back.
 */
export class UsageMeter {
  readonly #recorder: RunRecorder;
  readonly #taskId: string;
  readonly #attempt: number;
  readonly #clock: TimerClock;
  readonly #intervalMs: number;
  readonly #costUnknown: boolean;
  /** Added to this launch's process cost: what an earlier process spent that this one did not restore. */
  #costOffset: number | undefined;
  #pending: Pending | undefined;
  #lastWrittenMs: number | undefined;
  /** A turn ended with nothing new pending: the reading its end brings is written at once. */
  #turnEnded = false;
  /** Writes what is pending once the interval is up, should no later reading come to do it. */
  #cancelTimer: (() => void) | undefined;

  /** `costUnknown`: the agent reports no cost (Codex); its usage says so instead of $0. */
  constructor(recorder: RunRecorder, options: { taskId: string; attempt: number; clock: TimerClock; intervalMs?: number; costUnknown?: boolean }) {
    this.#recorder = recorder;
    this.#taskId = options.taskId;
    this.#attempt = options.attempt;
    this.#clock = options.clock;
    this.#intervalMs = options.intervalMs ?? USAGE_JOURNAL_INTERVAL_MS;
    this.#costUnknown = options.costUnknown === true;
  }

  reading(reading: UsageReading): void {
    const sessionId = reading.sessionId;
    if (typeof sessionId !== 'string' || sessionId === '') return;
    if (reading.firstOfLaunch) {
      // A new process: whatever is pending from the one before is that process's, written now.
      this.flush();
      this.#costOffset = undefined;
    }
    const before = this.#known(sessionId);
    const cost = figure(reading.costUsd, false);
    if (cost !== undefined && this.#costOffset === undefined) this.#costOffset = Math.max(0, before.usage.costUsd - cost);
    const usage: Usage = {
      tokens: tokenCounts(reading.tokens) ?? before.usage.tokens,
      costUsd: cost === undefined ? before.usage.costUsd : cost + (this.#costOffset ?? 0),
      ...(this.#costUnknown ? { costUnknown: true } : {}),
    };
    const model = modelName(reading.model) ?? before.model;
    const rateLimits = cleanRateLimits(reading.rateLimits);
    const next: Pending = { sessionId, usage, ...(model ? { model } : {}), ...(rateLimits ? { rateLimits } : {}) };
    if (!this.#changed(next)) {
      this.#pending = undefined;
      return;
    }
    this.#pending = next;
    const now = this.#clock.now();
    const wait = this.#lastWrittenMs === undefined ? 0 : this.#lastWrittenMs + this.#intervalMs - now;
    if (reading.firstOfLaunch || this.#turnEnded || wait <= 0) this.flush();
    else this.#cancelTimer ??= this.#clock.setTimer(wait, () => this.#flushLate());
  }

  /**
   * The agent finished a turn: what it used so far is journaled now, or, when the turn's last
   * reading comes after its Stop hook, as soon as it arrives.
   */
  turnEnded(): void {
    if (this.#pending) this.flush();
    else this.#turnEnded = true;
  }

  /** Writes what is not journaled yet (at a turn end and when the attempt ends, which must call it). */
  flush(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    const pending = this.#pending;
    if (!pending) return;
    this.#pending = undefined;
    this.#turnEnded = false;
    this.#lastWrittenMs = this.#clock.now();
    this.#recorder.record({
      type: 'agent-usage',
      task: this.#taskId,
      attempt: this.#attempt,
      sessionId: pending.sessionId,
      usage: pending.usage,
      ...(pending.model ? { model: pending.model } : {}),
      ...(pending.rateLimits ? { rateLimits: pending.rateLimits } : {}),
    });
  }

  /** The timer's write: should the journal fail here, the attempt's end tries again where the run sees it. */
  #flushLate(): void {
    const pending = this.#pending;
    try {
      this.flush();
    } catch {
      this.#pending ??= pending;
    }
  }

  /** The session's totals as written last (or about to be), and the task's model. */
  #known(sessionId: string): { usage: Usage; model?: string } {
    const task = taskById(this.#recorder.state, this.#taskId);
    const model = this.#pending?.model ?? task?.usage?.model;
    if (this.#pending?.sessionId === sessionId) return { usage: this.#pending.usage, ...(model ? { model } : {}) };
    const sessions = task?.usage?.bySession ?? {};
    const usage = Object.hasOwn(sessions, sessionId) ? sessions[sessionId]! : NO_USAGE;
    return { usage, ...(model ? { model } : {}) };
  }

  /** Something a reader would see differently: the session's figures, its model, the account's windows. */
  #changed(next: Pending): boolean {
    const task = taskById(this.#recorder.state, this.#taskId);
    const sessions = task?.usage?.bySession ?? {};
    if (!Object.hasOwn(sessions, next.sessionId)) return true;
    if (!sameUsage(sessions[next.sessionId]!, next.usage)) return true;
    if (next.model !== undefined && next.model !== task?.usage?.model) return true;
    return next.rateLimits !== undefined && !sameRateLimits(next.rateLimits, this.#recorder.state.rateLimits);
  }
}

/** A count or dollar figure from the agent, or undefined when it is not one (NaN, negative, huge). */
function figure(value: unknown, integer: boolean): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_FIGURE) return undefined;
  return integer ? Math.floor(value) : value;
}

/** Token counts only when every one is a real count: a half-valid report would undercount. */
function tokenCounts(tokens: TokenCounts | undefined): TokenCounts | undefined {
  if (!tokens || typeof tokens !== 'object') return undefined;
  const clean = { ...NO_TOKENS };
  for (const key of Object.keys(NO_TOKENS) as Array<keyof TokenCounts>) {
    const value = figure(tokens[key], true);
    if (value === undefined) return undefined;
    clean[key] = value;
  }
  return clean;
}

function modelName(model: unknown): string | undefined {
  if (typeof model !== 'string') return undefined;
  const trimmed = model.trim();
  return trimmed && trimmed.length <= MAX_MODEL_LENGTH ? trimmed : undefined;
}

function cleanRateLimits(limits: RateLimits | undefined): RateLimits | undefined {
  if (!limits || typeof limits !== 'object') return undefined;
  const fiveHour = rateWindow(limits.fiveHour);
  const sevenDay = rateWindow(limits.sevenDay);
  if (!fiveHour && !sevenDay) return undefined;
  return { ...(fiveHour ? { fiveHour } : {}), ...(sevenDay ? { sevenDay } : {}) };
}

function rateWindow(window: RateWindow | undefined): RateWindow | undefined {
  if (!window || typeof window !== 'object') return undefined;
  const used = figure(window.usedPercentage, false);
  const resets = typeof window.resetsAt === 'string' ? Date.parse(window.resetsAt) : Number.NaN;
  if (used === undefined || !Number.isFinite(resets) || resets < 0 || resets > MAX_TIME_MS) return undefined;
  return { usedPercentage: used, resetsAt: new Date(resets).toISOString() };
}

function sameUsage(a: Usage, b: Usage): boolean {
  const keys = Object.keys(NO_TOKENS) as Array<keyof TokenCounts>;
  return a.costUsd === b.costUsd && keys.every((key) => a.tokens[key] === b.tokens[key]);
}

function sameRateLimits(a: RateLimits, b: RateLimits | undefined): boolean {
  const same = (x: RateWindow | undefined, y: RateWindow | undefined): boolean => x?.usedPercentage === y?.usedPercentage && x?.resetsAt === y?.resetsAt;
  return b !== undefined && same(a.fiveHour, b.fiveHour) && same(a.sevenDay, b.sevenDay);
}
