import type { RunState } from '../journal/run-state.js';

export type { PhaseKind } from '../journal/run-phase.js';

/** What the runner knows about a running task beyond the journal (never persisted). */
export interface LiveTask {
  /** The agent's latest meaningful line, as the runner judged it from the screen. */
  lastLine?: string;
}

/**
 * Everything the UI draws: the journal's state (the phase, the pause and the agents at work are
 * derived from it), each task's latest line, and the UI's own settings.
 */
export interface RunView {
  state: RunState;
  live: Record<string, LiveTask>;
  concurrency: number;
  startedAtMs: number;
  /** Set when the run has ended but the UI stays for the user to read, e.g. "run finished (exit 0)". */
  ended?: string;
}

/** What a user's key press asks for. The runner decides whether and how to carry it out. */
export type UiIntent =
  | { type: 'stop-task'; taskId: string }
  | { type: 'retry-task'; taskId: string }
  | { type: 'attach'; taskId: string }
  | { type: 'open-view'; taskId: string }
  | { type: 'close-view'; taskId: string }
  /** `force`: the user insisted (a second Ctrl-C) and does not want to wait for a graceful stop. */
  | { type: 'quit'; force?: boolean };

/**
 * The runner's answer to an intent: undefined when it carries it out, else why not, in words the
 * UI shows as they are.
 */
export type IntentRefusal = string | undefined;

/** The runner's window onto each task's headless terminal. */
export interface ScreenSource {
  /**
   * The task's terminal as text lines: live while its agent runs, else the last screen its agent
   * left; undefined when there is neither.
   */
  screenLines(taskId: string): string[] | undefined;
  /** True while the task's agent runs in a terminal that `attach` can give the user. */
  isLive(taskId: string): boolean;
  /** Gives the user the task's PTY; resolves when they detach (Ctrl-]). */
  attach(taskId: string, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<void>;
}

export interface ExternalSource<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

/**
 * The one place the runner and the UI meet: the runner calls `update`, the UI reads snapshots and
 * sends intents back through `dispatch`. Snapshots are immutable, so they compare by reference.
 */
export class RunStore implements ExternalSource<RunView> {
  #view: RunView;
  readonly #listeners = new Set<() => void>();
  readonly #onIntent: (intent: UiIntent) => IntentRefusal | void;

  constructor(initial: RunView, onIntent: (intent: UiIntent) => IntentRefusal | void) {
    this.#view = initial;
    this.#onIntent = onIntent;
  }

  // Arrow properties: React's useSyncExternalStore calls them unbound.
  readonly getSnapshot = (): RunView => this.#view;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };

  update(fn: (view: RunView) => RunView): void {
    const next = fn(this.#view);
    if (next === this.#view) return;
    this.#view = next;
    for (const listener of [...this.#listeners]) listener();
  }

  dispatch(intent: UiIntent): IntentRefusal {
    return this.#onIntent(intent) ?? undefined;
  }
}

export function createRunView(state: RunState, options: { concurrency: number; startedAtMs: number }): RunView {
  return { state, live: {}, concurrency: options.concurrency, startedAtMs: options.startedAtMs };
}
