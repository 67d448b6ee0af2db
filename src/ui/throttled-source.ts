import type { ExternalSource } from './store.js';

/** The TUI redraws at most this often, keys included. */
export const MAX_FRAMES_PER_SECOND = 10;
/**
 * The run's own changes show at most this often however fast the runner updates the store: agents
 * streaming output would otherwise repaint the terminal hundreds of times a second. Each frame is a
 * React render, an Ink layout and a redraw of the whole table (about 7 ms of the runner's one
 * thread for 8 agents at 160 columns); at 10 a second, with spinner steps besides, the TUI took a
 * quarter of the runner's CPU in a flood. Spinners step at the same rate, in the same frames.
 */
export const FRAME_INTERVAL_MS = 200;

/**
 * A view of `upstream` that publishes at most one new snapshot per `intervalMs`: the first change
 * after a quiet period shows at once, later ones are coalesced into one at the end of the interval,
 * so the last state is always shown and never more than one interval late.
 */
export class ThrottledSource<T> implements ExternalSource<T> {
  #snapshot: T;
  readonly #listeners = new Set<() => void>();
  #unsubscribe: (() => void) | undefined;
  #cooldown: ReturnType<typeof setTimeout> | undefined;
  #dirty = false;

  constructor(
    private readonly upstream: ExternalSource<T>,
    private readonly intervalMs: number = FRAME_INTERVAL_MS,
  ) {
    this.#snapshot = upstream.getSnapshot();
  }

  readonly getSnapshot = (): T => this.#snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    if (!this.#unsubscribe) {
      this.#unsubscribe = this.upstream.subscribe(this.#onUpstreamChange);
      // Catch a change made between the first snapshot and this subscription.
      if (this.upstream.getSnapshot() !== this.#snapshot) this.#onUpstreamChange();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#disconnect();
    };
  };

  #onUpstreamChange = (): void => {
    if (this.#cooldown) {
      this.#dirty = true;
      return;
    }
    this.#publish();
    this.#cooldown = setTimeout(this.#endCooldown, this.intervalMs);
  };

  #endCooldown = (): void => {
    this.#cooldown = undefined;
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#onUpstreamChange();
  };

  #publish(): void {
    const next = this.upstream.getSnapshot();
    if (next === this.#snapshot) return;
    this.#snapshot = next;
    for (const listener of [...this.#listeners]) listener();
  }

  #disconnect(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#cooldown) clearTimeout(this.#cooldown);
    this.#cooldown = undefined;
    this.#dirty = false;
  }
}
