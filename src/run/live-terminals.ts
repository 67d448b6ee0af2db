import { readFileSync, statSync } from 'node:fs';
import type { PtyHost } from '../agent/pty-host.js';
import { CONTROL_CHARS } from '../control-chars.js';
import type { ScreenSource } from '../ui/store.js';
import type { LiveSink } from './context.js';

/** Ctrl-] ends an attach, as in telnet: a key no agent needs. */
const DETACH_KEY = '\x1d';
/** Redraws of the attached screen are bunched, so a flood of output can't swamp the terminal. */
const ATTACH_REDRAW_MS = 50;

interface EndedScreen {
  /** The version of a saved screen left by an earlier agent of the task, not to be shown. */
  staleFile?: number;
  /** The version of the saved screen `lines` were read from. */
  fileVersion?: number;
  lines?: string[];
}

/**
 * What the runner knows of its tasks that the journal does not keep: the agents' live terminals,
 * by task (what the UI's live view shows and what `a` attaches to), and each task's latest
 * activity line. Attaching mirrors the agent's screen and sends every key to its PTY until Ctrl-].
 * A task whose agent has ended shows the last screen it left, saved in `lastScreenFile(taskId)`.
 */
export class LiveTerminals implements ScreenSource, LiveSink {
  readonly #hosts = new Map<string, PtyHost>();
  readonly #ended = new Map<string, EndedScreen>();
  readonly #lines = new Map<string, string>();
  readonly #lineListeners = new Set<(taskId: string, text: string) => void>();
  readonly #lastScreenFile: ((taskId: string) => string) | undefined;

  constructor(lastScreenFile?: (taskId: string) => string) {
    this.#lastScreenFile = lastScreenFile;
  }

  add(taskId: string, host: PtyHost): void {
    this.#hosts.set(taskId, host);
    // A file there now is an earlier agent's: only one written after this agent counts.
    this.#ended.set(taskId, { staleFile: this.#fileVersion(taskId) });
    void host.exited.then(() => {
      if (this.#hosts.get(taskId) !== host) return;
      this.#hosts.delete(taskId);
      // Shown until the saved screen is written (the agent is still being closed).
      this.#ended.set(taskId, { ...this.#ended.get(taskId), lines: host.screen.visibleLines() });
    });
  }

  screenLines(taskId: string): string[] | undefined {
    const host = this.#hosts.get(taskId);
    return host ? host.screen.visibleLines() : this.#lastScreen(taskId);
  }

  isLive(taskId: string): boolean {
    return this.#hosts.has(taskId);
  }

  /** A task's latest activity (the tool its agent runs, its setup command, ...), one line. */
  line(taskId: string, text: string): void {
    this.#lines.set(taskId, text);
    for (const listener of [...this.#lineListeners]) listener(taskId, text);
  }

  lastLine(taskId: string): string | undefined {
    return this.#lines.get(taskId);
  }

  /** Calls `listener` with every new activity line; returns how to stop. */
  onLine(listener: (taskId: string, text: string) => void): () => void {
    this.#lineListeners.add(listener);
    return () => {
      this.#lineListeners.delete(listener);
    };
  }

  /** The saved final screen (the one before any exit message), else the screen as the agent exited. */
  #lastScreen(taskId: string): string[] | undefined {
    const ended = this.#ended.get(taskId) ?? {};
    const version = this.#fileVersion(taskId);
    if (version === undefined || version === ended.staleFile) return ended.lines;
    if (version === ended.fileVersion) return ended.lines;
    let text: string;
    try {
      text = readFileSync(this.#lastScreenFile!(taskId), 'utf8');
    } catch {
      return ended.lines;
    }
    // The file lies in a folder an agent can reach: whatever is in it is shown as text, never obeyed.
    const lines = text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => line.replace(CONTROL_CHARS, ' '));
    this.#ended.set(taskId, { ...ended, fileVersion: version, lines });
    return lines;
  }

  /** The saved screen's modification time, to tell one agent's file from the next one's. */
  #fileVersion(taskId: string): number | undefined {
    if (!this.#lastScreenFile) return undefined;
    try {
      return statSync(this.#lastScreenFile(taskId)).mtimeMs;
    } catch {
      return undefined;
    }
  }

  async attach(taskId: string, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<void> {
    const host = this.#hosts.get(taskId);
    if (!host) return;
    const stdin = io.stdin as NodeJS.ReadStream;
    const draw = (): void => {
      const size = io.stdout as Partial<NodeJS.WriteStream>;
      // The way out comes first, so a narrow terminal still shows it.
      const status = ` Ctrl-] detaches · attached to ${taskId}: keys go to the agent `;
      const lines = fitScreen(host.screen.visibleLines(), size.columns, size.rows === undefined ? undefined : size.rows - 1);
      io.stdout.write(`\x1b[H\x1b[2J${lines.join('\r\n')}\r\n\x1b[7m${fitScreen([status], size.columns)[0]}\x1b[0m`);
    };
    let timer: NodeJS.Timeout | undefined;
    const schedule = (): void => {
      timer ??= setTimeout(() => {
        timer = undefined;
        draw();
      }, ATTACH_REDRAW_MS);
    };
    draw();
    const stopWatching = host.onOutput(schedule);
    const wasRaw = stdin.isRaw;
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.resume();
    await new Promise<void>((resolve) => {
      // Ink leaves stdin decoded as UTF-8, so chunks are usually strings; a raw stream gives Buffers.
      const onData = (data: Buffer | string): void => {
        const keys = typeof data === 'string' ? data : data.toString('utf8');
        const detach = keys.indexOf(DETACH_KEY);
        if (detach === -1) {
          host.write(keys);
          return;
        }
        if (detach > 0) host.write(keys.slice(0, detach));
        finish();
      };
      const finish = (): void => {
        stdin.off('data', onData);
        resolve();
      };
      stdin.on('data', onData);
      void host.exited.then(finish);
    });
    stopWatching();
    clearTimeout(timer);
    if (stdin.isTTY) stdin.setRawMode(wasRaw);
    io.stdout.write('\x1b[H\x1b[2J');
  }
}

/**
 * The agent's terminal may be larger than the user's: a wrapped line or a scrolled-off top would
 * garble the mirror. Keeps the last rows with text and cuts each at the width (in code points,
 * so a line of wide characters can still wrap).
 */
export function fitScreen(lines: readonly string[], columns: number | undefined, rows?: number): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]!.trim() === '') end -= 1;
  const shown = rows === undefined ? lines.slice(0, end) : lines.slice(Math.max(0, end - Math.max(1, rows)), end);
  return columns === undefined ? shown : shown.map((line) => [...line].slice(0, columns).join(''));
}
