/**
 * A promise chain that runs one task at a time. Git takes index.lock and ref locks per operation and
 * fails (rather than waits) when another process holds them, so our own writes to one repository
 * are queued here instead of colliding.
 */
export class Mutex {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(task);
    // The next task waits for this one whether it succeeded or failed.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
