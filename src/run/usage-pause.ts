import type { Clock } from '../agent/deadline.js';

/**
 * Usage limits belong to the account, not the task: once one agent hits one, no new agent
 * starts until the reset time. Running agents wait out their own pause.
 */
export class UsagePause {
  #until = 0;
  readonly #clock: Clock;

  /** The pause is shown from the journal (each paused agent's `until`); this only holds launches back. */
  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** An agent reported a limit that resets at `until`. */
  hit(until: Date): void {
    if (until.getTime() <= this.#until) return;
    this.#until = until.getTime();
  }

  /** Resolves when launching is allowed again, or at once when `signal` aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    while (this.#clock.now() < this.#until && !signal.aborted) {
      const ms = this.#until - this.#clock.now();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
    if (this.#until !== 0 && this.#clock.now() >= this.#until) this.#until = 0;
  }
}
