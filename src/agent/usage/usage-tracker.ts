import type { TranscriptOpener, TranscriptReader } from '../adapter.js';
import type { HookEvent } from '../hook-event.js';
import type { UsageReading } from '../session-types.js';
import { statusLineFacts, type StatusLineFacts } from './status-line-facts.js';
import { TranscriptUsage } from './transcript-usage.js';

const claudeTranscript: TranscriptOpener = (path) => new TranscriptUsage(path);

/**
 * One launch's view of its session's usage: tokens from the transcript (read when a hook or the
 * status line says something happened), cost, model and rate limits from the status line (or, for
 * an agent without one, from the transcript). Each update returns a reading when it differs from
 * the last one returned, else undefined.
 *
 * The session id may be unknown at first (an agent that names its own session): until `adopt`
 * names it, no report counts.
 */
export class UsageTracker {
  #sessionId: string | undefined;
  readonly #open: TranscriptOpener;
  /** The first transcript followed is the session's for the whole launch: a later path is not taken. */
  readonly #firstTranscriptOnly: boolean;
  #transcript: TranscriptReader | undefined;
  #status: StatusLineFacts | undefined;
  #statusSeen = false;
  #firstStatusPending = false;
  #last = '';
  /** A turn ended after the last status line: its cost has not been reported yet. */
  #statusBehind = false;
  #statusWaiters: (() => void)[] = [];

  constructor(sessionId: string | undefined, open: TranscriptOpener = claudeTranscript, firstTranscriptOnly = false) {
    this.#sessionId = sessionId;
    this.#open = open;
    this.#firstTranscriptOnly = firstTranscriptOnly;
  }

  /** The session's id, learned from the agent (only the first one counts). */
  adopt(sessionId: string): void {
    this.#sessionId ??= sessionId;
  }

  /** A hook event: it names the transcript; a Stop's turn is complete in it by now. */
  onHook(event: HookEvent): UsageReading | undefined {
    if (!this.#ours(event.session_id)) return undefined;
    if (event.transcript_path) this.#follow(event.transcript_path);
    if (this.#statusSeen && event.hook_event_name === 'Stop') this.#statusBehind = true;
    return this.#reading();
  }

  /** The status-line JSON, as the status-line script recorded it. */
  onStatus(status: unknown): UsageReading | undefined {
    const facts = statusLineFacts(status);
    if (!this.#ours(facts.sessionId)) return undefined;
    if (facts.transcriptPath) this.#follow(facts.transcriptPath);
    this.#status = { ...this.#status, ...facts };
    if (!this.#statusSeen) this.#firstStatusPending = facts.costUsd !== undefined;
    this.#statusSeen ||= facts.costUsd !== undefined;
    this.#statusBehind = false;
    for (const wake of this.#statusWaiters.splice(0)) wake();
    return this.#reading();
  }

  /** True when the status line has reported in this launch but not since its last turn ended. */
  get statusBehind(): boolean {
    return this.#statusBehind;
  }

  /** Resolves at the next status line. */
  nextStatus(): Promise<void> {
    return new Promise((resolve) => this.#statusWaiters.push(resolve));
  }

  /** A last read at the end of the launch. */
  flush(): UsageReading | undefined {
    return this.#reading();
  }

  /** Another session's report (a hostile or stray line) never counts for this one, nor any before the id is known. */
  #ours(sessionId: string | undefined): boolean {
    if (this.#sessionId === undefined) return false;
    return sessionId === undefined || sessionId === this.#sessionId;
  }

  #follow(path: string): void {
    if (this.#transcript?.path === path || this.#sessionId === undefined || (this.#transcript && this.#firstTranscriptOnly)) return;
    this.#transcript = this.#open(path, this.#sessionId) ?? this.#transcript;
  }

  #reading(): UsageReading | undefined {
    const status = this.#status;
    const sessionId = this.#sessionId;
    // An agent that names no transcript and runs no status line (a command agent) reports nothing.
    if ((!this.#transcript && !status) || sessionId === undefined) return undefined;
    const transcript = this.#transcript;
    transcript?.read();
    const model = status?.model ?? transcript?.model;
    const rateLimits = status?.rateLimits ?? transcript?.rateLimits;
    const reading: UsageReading = {
      sessionId,
      ...(transcript ? { tokens: transcript.tokens } : {}),
      ...(status?.costUsd !== undefined ? { costUsd: status.costUsd } : {}),
      firstOfLaunch: this.#firstStatusPending,
      ...(model ? { model } : {}),
      ...(rateLimits ? { rateLimits } : {}),
    };
    // The first-of-launch mark is news once; a later reading differs from it by figures only.
    const key = JSON.stringify({ ...reading, firstOfLaunch: undefined });
    if (key === this.#last && !reading.firstOfLaunch) return undefined;
    this.#last = key;
    this.#firstStatusPending = false;
    return reading;
  }
}
