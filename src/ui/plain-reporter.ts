import type { EventOf, JournalEvent } from '../journal/events.js';
import { initialRunState, type RunState } from '../journal/run-state.js';
import { taskWords } from './format/task-status.js';
import { formatDuration } from '../format/duration.js';
import { shortSha } from '../format/sha.js';
import { spanMs, timeFormatter, type TimeFormatter } from './format/time.js';
import { eventLines } from './plain-lines.js';
import { formatSummary, type SummaryPaths } from './summary.js';

/**
 * Agents flip between working and idle at every turn. Such a flip is logged only when the task's
 * last logged state is at least this old, so an overnight log shows a task's rhythm without a line
 * per turn; every other state (waiting, paused, unknown) is always logged, as is the first state
 * after each start, and a repeated state never is.
 */
export const FLIP_QUIET_MS = 5 * 60_000;

/**
 * After this long without a line while tasks run, the log says what is still running: an agent
 * silent for an hour otherwise looks like a hung ccwave.
 */
export const HEARTBEAT_MS = 5 * 60_000;

export interface PlainReporterOptions {
  write: (text: string) => void;
  /** Time zone of the timestamps; the machine's when undefined. */
  timeZone?: string;
  /** The replayed state when reporting a resumed run. */
  initialState?: RunState;
  /** When given, `run-finished` is followed by the summary table. */
  summary?: SummaryPaths;
  /** For lines that no journal event carries (the global pause). */
  now?: () => Date;
}

/** One timestamped line per state change, for logs and terminals without a TTY. */
export class PlainReporter {
  #state: RunState;
  readonly #time: TimeFormatter;
  readonly #lastShown = new Map<string, { state: string; reason?: string; atMs: number }>();
  #pausedUntil: string | undefined;
  #lastLineMs: number;

  constructor(private readonly options: PlainReporterOptions) {
    this.#state = options.initialState ?? initialRunState();
    this.#time = timeFormatter(options.timeZone);
    this.#lastLineMs = this.#now().getTime();
  }

  get state(): RunState {
    return this.#state;
  }

  /** `state`: the run's state with `event` folded in, as the journal's recorder reduced it. */
  onEvent(event: JournalEvent, state: RunState): void {
    this.#state = state;
    if (event.type === 'agent-starting') this.#lastShown.delete(event.task);
    if (event.type === 'agent-state' && !this.#admit(event)) return;
    for (const line of eventLines(event, { after: this.#state, hourMinute: this.#time.hourMinute })) {
      this.#write(event.at, line);
    }
    if (event.type === 'run-finished' && this.options.summary) {
      this.options.write(`\n${formatSummary(this.#state, this.options.summary)}`);
    }
  }

  /** The global usage-limit pause (`pausedUntil` of the run's state); logged when it changes. */
  onPause(until: string | undefined): void {
    if (until === this.#pausedUntil) return;
    this.#pausedUntil = until;
    const text = until ? `paused until ${this.#time.hourMinute(until)} (usage limit)` : 'usage-limit pause over, continuing';
    this.#write(this.#now().toISOString(), text);
  }

  /** Called now and then: a line naming what still runs, once HEARTBEAT_MS passed without one. */
  heartbeat(): void {
    const now = this.#now();
    if (now.getTime() - this.#lastLineMs < HEARTBEAT_MS) return;
    const running = this.#state.waves
      .flatMap((wave) => wave.taskIds)
      .flatMap((id) => this.#state.tasks[id] ?? [])
      .filter((task) => task.status === 'running' || task.status === 'preparing');
    const tests = this.#state.tests.filter((test) => test.passed === undefined && !test.interrupted);
    const words = running.map((task) => ({ task, words: taskWords(task, { nowMs: now.getTime(), hourMinute: this.#time.hourMinute }) }));
    // A task waiting for a free agent slot is not running: it is named apart.
    const queued = words.filter((entry) => entry.words.kind === 'queued').map((entry) => entry.task.id);
    const parts = [
      ...words.filter((entry) => entry.words.kind !== 'queued').map(({ task, words: w }) => `${task.id} ${w.label}${w.duration ? ` ${w.duration}` : ''}`),
      ...tests.map((test) => `tests on ${shortSha(test.sha)}${since(test.startedAt, now)}`),
    ];
    const line = [parts.length > 0 ? `still running: ${parts.join(', ')}` : '', queued.length > 0 ? `queued for an agent slot: ${queued.join(', ')}` : ''].filter(Boolean).join('; ');
    if (line) this.#write(now.toISOString(), line);
  }

  #write(at: string, line: string): void {
    this.#lastLineMs = Math.max(this.#lastLineMs, Date.parse(at));
    this.options.write(`${this.#time.clock(at)} ${line}\n`);
  }

  #now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  #admit(event: EventOf<'agent-state'>): boolean {
    const last = this.#lastShown.get(event.task);
    const next = { state: event.state, reason: event.reason, atMs: Date.parse(event.at) };
    if (last && last.state === next.state && last.reason === next.reason) return false;
    const flip = last !== undefined && isTurnState(last.state) && isTurnState(next.state);
    if (flip && next.atMs - last.atMs < FLIP_QUIET_MS) return false;
    this.#lastShown.set(event.task, next);
    return true;
  }
}

function since(startedAt: string | undefined, now: Date): string {
  const ms = spanMs(startedAt, now.toISOString());
  return ms === undefined ? '' : ` ${formatDuration(ms)}`;
}

function isTurnState(state: string): boolean {
  return state === 'working' || state === 'idle';
}
