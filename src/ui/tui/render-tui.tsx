import { render, useApp, type SuspendTerminal, type TerminalSuspension } from 'ink';
import { useEffect } from 'react';
import type { RunStore, ScreenSource } from '../store.js';
import { MAX_FRAMES_PER_SECOND } from '../throttled-source.js';
import { App } from './App.js';

export interface TuiOptions {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  now?: () => number;
  timeZone?: string;
  /** Defaults to NO_COLOR's verdict. */
  color?: boolean;
  /**
   * Default true: a stray console.log from a library is printed above the frame instead of
   * tearing it. False where console is not Node's own (test runners).
   */
  patchConsole?: boolean;
  /** Ink decides from the terminal and the CI variable when undefined. */
  interactive?: boolean;
}

export interface TuiHandle {
  waitUntilExit(): Promise<void>;
  unmount(): void;
  /** Hands the terminal back (raw mode off, frame erased) until `resume`; for attaching to a PTY. */
  suspend(): Promise<void>;
  /** Takes the terminal again and redraws the whole frame. */
  resume(): Promise<void>;
}

/** Ink offers suspension only from inside the tree; this passes it out to the handle. */
function TerminalBridge({ onReady }: { onReady: (suspend: SuspendTerminal) => void }) {
  const { suspendTerminal } = useApp();
  useEffect(() => onReady(suspendTerminal), [onReady, suspendTerminal]);
  return null;
}

export function renderTui(store: RunStore, screens: ScreenSource, options: TuiOptions): TuiHandle {
  let suspendTerminal: SuspendTerminal | undefined;
  let suspension: TerminalSuspension | undefined;
  const instance = render(
    <>
      <TerminalBridge onReady={(fn) => void (suspendTerminal = fn)} />
      <App store={store} screens={screens} now={options.now} timeZone={options.timeZone} color={options.color} />
    </>,
    {
      stdin: options.stdin,
      stdout: options.stdout,
      stderr: options.stderr,
      // Ctrl-C is a key binding (graceful quit, then force): the runner must hear it, not lose the UI.
      exitOnCtrlC: false,
      patchConsole: options.patchConsole ?? true,
      interactive: options.interactive,
      // A second cap behind the store throttle: spinners and clocks count towards it too.
      maxFps: MAX_FRAMES_PER_SECOND,
      // Rewrites only the lines that changed, so finished rows do not flicker.
      incrementalRendering: true,
    },
  );
  return {
    waitUntilExit: async () => {
      await instance.waitUntilExit();
    },
    unmount: () => instance.unmount(),
    suspend: async () => {
      if (suspension || !suspendTerminal) return;
      suspension = await suspendTerminal();
    },
    resume: async () => {
      const current = suspension;
      suspension = undefined;
      await current?.resume();
    },
  };
}

/** What the runner does on an `attach` intent: give the user the PTY, then take the screen back. */
export async function attachTask(tui: TuiHandle, screens: ScreenSource, taskId: string, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<void> {
  await tui.suspend();
  try {
    await screens.attach(taskId, io);
  } finally {
    await tui.resume();
  }
}
