import type { JournalEvent } from '../journal/events.js';
import { mayChangePause, pausedUntil } from '../journal/run-phase.js';
import type { RunState } from '../journal/run-state.js';
import { JsonReporter } from '../ui/json-reporter.js';
import { PlainReporter } from '../ui/plain-reporter.js';
import { createRunView, RunStore, type IntentRefusal, type UiIntent } from '../ui/store.js';
import type { TuiHandle } from '../ui/tui/render-tui.js';
import type { LiveTerminals } from './live-terminals.js';

/** How a run shows itself: the TUI, plain timestamped lines, or JSON lines of the journal. */
export interface Presenter {
  onEvent(event: JournalEvent, state: RunState): void;
  /**
   * Ends the display. With `ended`, a person reading a task's screen keeps it, marked with
   * `ended.message`, until `ended.leave` aborts (they pressed q, or a signal came).
   */
  close(ended?: RunEnded): Promise<void>;
}

export interface RunEnded {
  message: string;
  leave: AbortSignal;
}

/** How often the plain log checks whether it has been silent too long (see HEARTBEAT_MS). */
const HEARTBEAT_CHECK_MS = 30_000;

export function plainPresenter(write: (text: string) => void, initialState: RunState): Presenter {
  const reporter = new PlainReporter({ write, initialState });
  const heartbeat = setInterval(() => reporter.heartbeat(), HEARTBEAT_CHECK_MS);
  // Never the reason the process stays up.
  heartbeat.unref();
  return {
    onEvent: (event, next) => {
      reporter.onEvent(event, next);
      // Not after every event: going through every task each time would grow with the square of the plan.
      if (mayChangePause(event)) reporter.onPause(pausedUntil(next));
    },
    close: async () => clearInterval(heartbeat),
  };
}

export function jsonPresenter(write: (text: string) => void): Presenter {
  const reporter = new JsonReporter(write);
  return { onEvent: (event) => reporter.onEvent(event), close: async () => undefined };
}

/**
 * Ink and React, with React's production build unless the user chose a NODE_ENV: the development
 * build's checks cost about a fifth of the runner's CPU while agents redraw. React picks its build
 * when it loads, so NODE_ENV is set for the import only: the agents and commands ccwave starts
 * (an `npm ci` that would skip devDependencies, a test) inherit the user's environment unchanged.
 */
async function importTui(): Promise<typeof import('../ui/tui/render-tui.js')> {
  const chosen = process.env['NODE_ENV'];
  if (chosen === undefined) process.env['NODE_ENV'] = 'production';
  try {
    return await import('../ui/tui/render-tui.js');
  } finally {
    if (chosen === undefined) delete process.env['NODE_ENV'];
  }
}

/** The Ink TUI on the terminal; intents from its keys go to `onIntent`. Ink and React load only here. */
export async function tuiPresenter(
  state: RunState,
  options: { concurrency: number; terminals: LiveTerminals; onIntent: (intent: UiIntent) => IntentRefusal; stdin: NodeJS.ReadStream; stdout: NodeJS.WriteStream },
): Promise<Presenter> {
  const { attachTask, renderTui } = await importTui();
  let tui: TuiHandle | undefined;
  // Which task's screen the person has open: the run's end must not snatch it away.
  let viewing: string | undefined;
  const store = new RunStore(createRunView(state, { concurrency: options.concurrency, startedAtMs: Date.now() }), (intent) => {
    if (intent.type === 'open-view') viewing = intent.taskId;
    if (intent.type === 'close-view') viewing = undefined;
    if (intent.type === 'attach' && tui) {
      void attachTask(tui, options.terminals, intent.taskId, { stdin: options.stdin, stdout: options.stdout });
      return undefined;
    }
    return options.onIntent(intent);
  });
  tui = renderTui(store, options.terminals, { stdin: options.stdin, stdout: options.stdout });
  // The last activity lines live with the terminals; the screen shows each as it comes.
  const stopLines = options.terminals.onLine((taskId, text) => store.update((v) => ({ ...v, live: { ...v.live, [taskId]: { ...v.live[taskId], lastLine: text } } })));
  return {
    onEvent: (_event, next) => store.update((v) => ({ ...v, state: next })),
    close: async (ended) => {
      if (ended && viewing !== undefined && tui && !ended.leave.aborted) {
        store.update((v) => ({ ...v, ended: ended.message }));
        await new Promise<void>((resolve) => ended.leave.addEventListener('abort', () => resolve(), { once: true }));
      }
      stopLines();
      const current = tui;
      tui = undefined;
      current?.unmount();
      await current?.waitUntilExit();
    },
  };
}
