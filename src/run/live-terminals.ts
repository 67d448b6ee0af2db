import type { PtyHost } from '../agent/pty-host.js';
import type { ScreenSource } from '../ui/store.js';

/** Ctrl-] ends an attach, as in telnet: a key no agent needs. */
const DETACH_KEY = '\x1d';
/** Redraws of the attached screen are bunched, so a flood of output can't swamp the terminal. */
const ATTACH_REDRAW_MS = 50;

/**
 * The agents' live terminals, by task: what the UI's live view shows and what `a` attaches to.
 * Attaching mirrors the agent's screen and sends every key to its PTY until Ctrl-].
 */
export class LiveTerminals implements ScreenSource {
  readonly #hosts = new Map<string, PtyHost>();

  add(taskId: string, host: PtyHost): void {
    this.#hosts.set(taskId, host);
    void host.exited.then(() => {
      if (this.#hosts.get(taskId) === host) this.#hosts.delete(taskId);
    });
  }

  screenLines(taskId: string): string[] | undefined {
    return this.#hosts.get(taskId)?.screen.visibleLines();
  }

  lastLine(taskId: string): string | undefined {
    return this.#hosts.get(taskId)?.screen.lastMeaningfulLine();
  }

  async attach(taskId: string, io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<void> {
    const host = this.#hosts.get(taskId);
    if (!host) return;
    const stdin = io.stdin as NodeJS.ReadStream;
    const draw = (): void => {
      const lines = host.screen.visibleLines();
      io.stdout.write(`\x1b[H\x1b[2J${lines.join('\r\n')}\r\n\x1b[7m attached to ${taskId}: keys go to the agent · Ctrl-] detaches \x1b[0m`);
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
