/** The session's timers by name, so all of them are cleared in one place when it ends. */
export class NamedTimers {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #disposed = false;

  once(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    if (this.#disposed) return;
    this.#timers.set(
      name,
      setTimeout(() => {
        this.#timers.delete(name);
        fn();
      }, ms),
    );
  }

  every(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    if (this.#disposed) return;
    this.#timers.set(name, setInterval(fn, ms));
  }

  clear(name: string): void {
    const timer = this.#timers.get(name);
    if (timer) clearTimeout(timer);
    this.#timers.delete(name);
  }

  clearAll(): void {
    for (const name of [...this.#timers.keys()]) this.clear(name);
  }

  /**
   * Clears every timer and refuses new ones: events still queued when a session ends must not
   * arm a timer that keeps the process alive for an hour.
   */
  dispose(): void {
    this.#disposed = true;
    this.clearAll();
  }
}
