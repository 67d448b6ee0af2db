import type { ExternalSource } from './store.js';

/**
 * The TUI redraws at most this often however fast the runner updates the store: twenty agents
 * streaming output would otherwise repaint the terminal hundreds of times a second.
 */
export const MAX_FRAMES_PER_SECOND = 10;
export const FRAME_INTERVAL_MS = 1000 / MAX_FRAMES_PER_SECOND;

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
