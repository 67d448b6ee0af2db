/** A clock the runner can replace in tests (e.g. to stand at a chosen "now"). */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A one-shot timer that can be restarted, paused (remembering what is left) and resumed: the
 * wall-clock budget stops while the task waits out a usage limit; the idle timer restarts on output.
 */
export class Deadline {
  readonly #durationMs: number;
  readonly #onExpire: () => void;
  #timer: NodeJS.Timeout | undefined;
  #endsAt = 0;
  #remaining: number | undefined;
  #disposed = false;

  constructor(durationMs: number, onExpire: () => void) {
    this.#durationMs = durationMs;
    this.#onExpire = onExpire;
  }

  get durationMs(): number {
    return this.#durationMs;
  }

  /** Starts (again) with the full duration; cancels a pause. */
  restart(): void {
    this.#arm(this.#durationMs);
  }

  pause(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#remaining = Math.max(0, this.#endsAt - Date.now());
  }

  /** Continues with what was left when paused; does nothing unless paused. */
  resume(): void {
    if (this.#remaining === undefined) return;
    this.#arm(this.#remaining);
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#remaining = undefined;
  }

  /** Cancels for good: a late restart (an event queued before the end) arms nothing. */
  dispose(): void {
    this.#disposed = true;
    this.cancel();
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer);
    if (this.#disposed) return;
    this.#remaining = undefined;
    this.#endsAt = Date.now() + ms;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#onExpire();
    }, ms);
  }
}
