/**
 * How a run stops. The first request (Ctrl-C, SIGTERM, `q`) stops launching, lets running merges
 * finish and ends agents politely, leaving everything resumable; a second ends agents at once.
 */
export class StopControl {
  readonly #graceful = new AbortController();
  readonly #listeners: Array<(level: 'graceful' | 'hard') => void> = [];
  #hard = false;
  reason: string | undefined;
  /** The exit code the first request asked for (a budget's stop has its own); undefined: interrupted. */
  exitCode: number | undefined;

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

  request(reason: string, exitCode?: number): 'graceful' | 'hard' {
    const level = this.stopping ? 'hard' : 'graceful';
    if (level === 'graceful') {
      this.reason = reason;
      this.exitCode = exitCode;
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

/** Who stopped a task: a person (`k`, the task is cancelled) or its budget (it ends over budget). */
export type TaskStopCause = { kind: 'person' } | { kind: 'over-budget'; reason: string };

const BY_PERSON: TaskStopCause = { kind: 'person' };

/** Per-task stops (the UI's `k`, a task's budget): each task's agent listens to its own signal and the run's. */
export class TaskStops {
  readonly #controllers = new Map<string, AbortController>();
  readonly #causes = new Map<string, TaskStopCause>();

  /** The signal a task's agent runs under: aborted when the run stops or this task is stopped. */
  signalFor(taskId: string, run: AbortSignal): AbortSignal {
    return AbortSignal.any([run, this.#controller(taskId).signal]);
  }

  stop(taskId: string, cause: TaskStopCause = BY_PERSON): void {
    const controller = this.#controller(taskId);
    if (controller.signal.aborted) return;
    this.#causes.set(taskId, cause);
    controller.abort(cause.kind === 'person' ? 'stopped from the UI' : cause.reason);
  }

  /** Why the task was stopped; undefined when it was not. */
  causeOf(taskId: string): TaskStopCause | undefined {
    return this.stopped(taskId) ? (this.#causes.get(taskId) ?? BY_PERSON) : undefined;
  }

  /** A person asked for the task again (or its budget was raised): its next agent must not start out stopped. */
  clear(taskId: string): void {
    this.#controllers.delete(taskId);
    this.#causes.delete(taskId);
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
