/**
 * How a run stops. The first request (Ctrl-C, SIGTERM, `q`) stops launching, lets running merges
 * finish and ends agents politely, leaving everything resumable; a second ends agents at once.
 */
export class StopControl {
  readonly #graceful = new AbortController();
  readonly #listeners: Array<(level: 'graceful' | 'hard') => void> = [];
  #hard = false;
  reason: string | undefined;

  /** Aborted on the first stop request: agents end politely, nothing new starts. */
  get signal(): AbortSignal {
    return this.#graceful.signal;
  }

  get stopping(): boolean {
    return this.#graceful.signal.aborted;
  }

  get hard(): boolean {
    return this.#hard;
  }

  request(reason: string): 'graceful' | 'hard' {
    const level = this.stopping ? 'hard' : 'graceful';
    if (level === 'graceful') {
      this.reason = reason;
      this.#graceful.abort(reason);
    } else {
      this.#hard = true;
    }
    for (const listener of this.#listeners) listener(level);
    return level;
  }

  onRequest(listener: (level: 'graceful' | 'hard') => void): void {
    this.#listeners.push(listener);
  }
}

/** Per-task stops (the UI's `k`): each task's agent listens to its own signal and the run's. */
export class TaskStops {
  readonly #controllers = new Map<string, AbortController>();

  /** The signal a task's agent runs under: aborted when the run stops or this task is stopped. */
  signalFor(taskId: string, run: AbortSignal): AbortSignal {
    return AbortSignal.any([run, this.#controller(taskId).signal]);
  }

  stop(taskId: string): void {
    this.#controller(taskId).abort('stopped from the UI');
  }

  /** A person asked for the task again: its next agent must not start out stopped. */
  clear(taskId: string): void {
    this.#controllers.delete(taskId);
  }

  stopped(taskId: string): boolean {
    return this.#controllers.get(taskId)?.signal.aborted === true;
  }

  #controller(taskId: string): AbortController {
    let controller = this.#controllers.get(taskId);
    if (!controller) {
      controller = new AbortController();
      this.#controllers.set(taskId, controller);
    }
    return controller;
  }
}
