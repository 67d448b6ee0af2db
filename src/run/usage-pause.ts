import { timerClock, type Clock, type TimerClock } from '../agent/deadline.js';

/**
 * Usage limits belong to the account, not the task: once one agent hits one (or the five-hour
 * window passes its threshold), no new agent starts until the reset time. Running agents wait out
 * their own pause. A run at its budget holds launches for good.
 */
export class UsagePause {
  #until = 0;
  #held: string | undefined;
  readonly #clock: TimerClock;

  /** The pause is shown from the journal (each paused agent's `until`); this only holds launches back. */
  constructor(clock: Clock) {
    this.#clock = timerClock(clock);
  }

  /** An agent reported a limit that resets at `until`. */
  hit(until: Date): void {
    if (until.getTime() <= this.#until) return;
    this.#until = until.getTime();
  }

  /** No agent starts any more in this run (its budget is used up), for this reason. */
  hold(reason: string): void {
    this.#held ??= reason;
  }

  /** Why no agent may start any more in this run; undefined while they may. Launchers check it after `wait`. */
  get held(): string | undefined {
    return this.#held;
  }

  /** Resolves when launching is allowed again (or held for good), or at once when `signal` aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    while (this.#held === undefined && this.#clock.now() < this.#until && !signal.aborted) {
      const ms = this.#until - this.#clock.now();
      await new Promise<void>((resolve) => {
        const cancel = this.#clock.setTimer(ms, resolve);
        signal.addEventListener('abort', () => (cancel(), resolve()), { once: true });
      });
    }
    if (this.#until !== 0 && this.#clock.now() >= this.#until) this.#until = 0;
  }
}
