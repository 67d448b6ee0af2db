import { systemClock, type TimerClock } from './deadline.js';

/**
 * Claude Code instances starting at the same instant race on `~/.claude.json` (its first writes
 * at start-up, and ccwave's own pre-trust of a worktree). Launches through one gate go one at a
 * time: the next waits until the previous one reported that it started (its `SessionStart` hook),
 * ended, or failed to launch. A launch that never reports (hooks disabled, a hung start) keeps
 * the others waiting this long at most: the fixed gap ccwave used to leave between launches.
 */
export const CLAUDE_LAUNCH_CAP_MS = 2_000;

/** Lets the next launch through; calling it again does nothing. */
export type LaunchRelease = () => void;

/** One launch at a time, in arrival order, each held until it releases or its cap is reached. */
export class LaunchGate {
  readonly #capMs: number;
  readonly #clock: TimerClock;
  readonly #waiting: Array<() => void> = [];
  #held = false;

  constructor(capMs: number, clock: TimerClock = systemClock) {
    this.#capMs = capMs;
    this.#clock = clock;
  }

  /**
   * Resolves once this launch may go ahead, with its release; or with undefined if `signal` aborts
   * first (that launch never happens and holds nobody up).
   */
  enter(signal?: AbortSignal): Promise<LaunchRelease | undefined> {
    return new Promise((resolve) => {
      if (signal?.aborted) {
        resolve(undefined);
        return;
      }
      const take = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#held = true;
        resolve(this.#holdUntilReleased());
      };
      const onAbort = (): void => {
        const at = this.#waiting.indexOf(take);
        if (at !== -1) this.#waiting.splice(at, 1);
        resolve(undefined);
      };
      if (!this.#held) {
        take();
        return;
      }
      this.#waiting.push(take);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #holdUntilReleased(): LaunchRelease {
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      cancelCap();
      this.#passOn();
    };
    const cancelCap = this.#clock.setTimer(this.#capMs, release);
    return release;
  }

  #passOn(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#held = false;
  }
}
