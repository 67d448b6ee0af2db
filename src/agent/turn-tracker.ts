import { INPUT_UNANSWERED_MS, SCREEN_IDLE_CONFIRM_MS } from './session-timing.js';

/**
 * When does a turn end? The Stop hook says so directly; the screen says so only after the idle
 * prompt has shown for a while, and only for a turn that began (work was seen) or whose input went
 * unanswered for long. Each turn's end is handled once.
 */
export class TurnTracker {
  /** A turn is under way (prompt given or input typed) and its end has not been handled. */
  #awaiting = true;
  #sawWork = false;
  #inputAt: number;
  #idleSince: number | undefined;

  constructor(now: number) {
    this.#inputAt = now;
  }

  get awaiting(): boolean {
    return this.#awaiting;
  }

  get inputAt(): number {
    return this.#inputAt;
  }

  /** ccwave typed a message: a new turn starts. */
  inputSent(now: number): void {
    this.#awaiting = true;
    this.#sawWork = false;
    this.#idleSince = undefined;
    this.#inputAt = now;
  }

  /** The agent took a prompt (its own or typed by a person) or was seen working. */
  workSeen(submitted = false): void {
    this.#sawWork = true;
    if (submitted) this.#awaiting = true;
  }

  notIdle(): void {
    this.#idleSince = undefined;
  }

  /** The screen shows the idle prompt now: true when that has lasted long enough to end the turn. */
  idleScreenEndsTurn(now: number): boolean {
    if (!this.#awaiting) return false;
    this.#idleSince ??= now;
    const needed = this.#sawWork ? SCREEN_IDLE_CONFIRM_MS : INPUT_UNANSWERED_MS;
    return now - this.#idleSince >= needed && now - this.#inputAt >= needed;
  }

  /** Claims the current turn's end; false when it was already handled. */
  claimEnd(): boolean {
    if (!this.#awaiting) return false;
    this.#awaiting = false;
    this.#idleSince = undefined;
    return true;
  }

  /** Nothing to wait for (e.g. a usage-limit pause took over the turn). */
  stopAwaiting(): void {
    this.#awaiting = false;
  }
}
