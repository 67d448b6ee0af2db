// Renders the real App in-process with ink-testing-library, at a chosen terminal size.
import { render } from 'ink-testing-library';
import type { RunState } from '../../../src/journal/index.js';
import { createRunView, RunStore, type RunView, type ScreenSource, type UiIntent } from '../../../src/ui/store.js';
import { App } from '../../../src/ui/tui/App.js';
import { ms } from './journal.js';

export const NOW = ms('14:30:00');

export const KEY = { up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B', ctrlC: '\u0003' } as const;

/** The runner's terminals, as plain data the test can change. */
export class FakeScreens implements ScreenSource {
  readonly attached: string[] = [];
  /** `ended`: tasks whose lines are the last screen their agent left, not a live terminal. */
  constructor(
    public lines: Record<string, string[]> = {},
    public ended: string[] = [],
  ) {}
  screenLines(taskId: string): string[] | undefined {
    return this.lines[taskId];
  }
  isLive(taskId: string): boolean {
    return this.lines[taskId] !== undefined && !this.ended.includes(taskId);
  }
  async attach(taskId: string): Promise<void> {
    this.attached.push(taskId);
  }
}

export function viewOf(state: RunState, extra: Partial<RunView> = {}): RunView {
  return { ...createRunView(state, { concurrency: 3, startedAtMs: ms('14:03:00') }), ...extra };
}

export interface Harness {
  store: RunStore;
  screens: FakeScreens;
  intents: UiIntent[];
  frames: string[];
  lastFrame: () => string;
  /** Writes a key and lets Ink's input handling and React settle. */
  press: (key: string) => Promise<void>;
  unmount: () => void;
}

export interface HarnessOptions {
  columns?: number;
  rows?: number;
  screens?: FakeScreens;
  frameIntervalMs?: number;
  /** The clock the App reads; NOW, standing still, by default. */
  now?: () => number;
}

/** The longest a key press may take to show: only a key with no visible effect waits this long. */
const PRESS_WAIT_MS = 2_000;

/** Resolves once React has run the app's effects (store and resize subscriptions) at the chosen size. */
export async function renderApp(view: RunView, options: HarnessOptions = {}): Promise<Harness> {
  const intents: UiIntent[] = [];
  const store = new RunStore(view, (intent) => void intents.push(intent));
  const screens = options.screens ?? new FakeScreens();
  const instance = render(<App store={store} screens={screens} now={options.now ?? (() => NOW)} timeZone="UTC" color={false} frameIntervalMs={options.frameIntervalMs} />);
  // ink-testing-library's stdout is always 100 columns and has no rows: give it a real size.
  Object.defineProperty(instance.stdout, 'columns', { value: options.columns ?? 100, configurable: true });
  Object.defineProperty(instance.stdout, 'rows', { value: options.rows ?? 40, configurable: true });
  instance.stdout.emit('resize');
  await settle();
  return {
    store,
    screens,
    intents,
    frames: instance.frames,
    lastFrame: () => instance.lastFrame() ?? '',
    press: async (key) => {
      const frames = instance.frames.length;
      const sent = intents.length;
      instance.stdin.write(key);
      // A key shows in a new frame or an intent; on a loaded machine Ink's Escape wait and React's
      // commit can take far longer than usual, so wait for the effect rather than a fixed time.
      for (let waited = 0; waited < PRESS_WAIT_MS && instance.frames.length === frames && intents.length === sent; waited += 10) {
        await settle(10);
      }
      await settle();
    },
    unmount: () => instance.unmount(),
  };
}

/**
 * Lets pending work run: React's passive effects, and Ink's 20 ms wait that tells a lone Escape
 * from the start of a longer key sequence. Nothing is asserted about how long anything takes.
 */
export async function settle(ms = 30): Promise<void> {
  await new Promise((resolve) => realSetTimeout(resolve, ms));
}

/** Taken before any test fakes timers: settling waits in real time either way. */
const realSetTimeout = globalThis.setTimeout;

/** The frame's line that mentions `text`. */
export function lineWith(frame: string, text: string): string {
  const line = frame.split('\n').find((l) => l.includes(text));
  if (line === undefined) throw new Error(`no line with ${JSON.stringify(text)} in:\n${frame}`);
  return line;
}

/**
 * React commits a store-driven update in a microtask, not synchronously. Awaiting microtasks
 * lets it commit without letting any timer run, real or fake.
 */
export async function commits(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}
