import { closeSync, openSync, readSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { parseHookLine, type HookEvent } from './hook-event.js';

/**
 * fs.watch misses events on some filesystems (network mounts, some containers); polling this often
 * bounds how late a hook event can be seen.
 */
export const HOOK_POLL_MS = 250;
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * Follows a hook channel file (one JSON line per hook call, appended by the hook script) and reports
 * each complete line once, in order. Reads incrementally from the last offset.
 */
export class HookChannel {
  readonly path: string;
  readonly #onEvent: (event: HookEvent) => void;
  #offset = 0;
  #partial = '';
  // A read may end inside a multi-byte character.
  readonly #decoder = new StringDecoder('utf8');
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(path: string, onEvent: (event: HookEvent) => void) {
    this.path = path;
    this.#onEvent = onEvent;
  }

  /** Creates the file if needed (so it can be watched) and starts following it from its end. */
  start(): void {
    try {
      this.#offset = statSync(this.path).size;
    } catch {
      writeFileSync(this.path, '');
      this.#offset = 0;
    }
    try {
      this.#watcher = watch(this.path, () => this.poll());
      this.#watcher.on('error', () => this.#watcher?.close());
    } catch {
      // Polling alone still works.
    }
    this.#timer = setInterval(() => this.poll(), HOOK_POLL_MS);
  }

  /** Reads whatever was appended since the last read. Safe to call at any time. */
  poll(): void {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return;
    }
    try {
      const buffer = Buffer.alloc(READ_CHUNK_BYTES);
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, this.#offset);
        if (n <= 0) break;
        this.#offset += n;
        this.#take(this.#decoder.write(buffer.subarray(0, n)));
      }
    } finally {
      closeSync(fd);
    }
  }

  stop(): void {
    this.poll();
    this.#watcher?.close();
    clearInterval(this.#timer);
  }

  #take(text: string): void {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      const event = line.trim() === '' ? undefined : parseHookLine(line);
      if (event) this.#onEvent(event);
    }
  }
}
