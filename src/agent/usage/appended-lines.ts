import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const READ_CHUNK_BYTES = 256 * 1024;
/**
 * A line of an agent's session log can carry a whole reply (a large file written with a tool,
 * say); longer than this it is skipped unread rather than held in memory.
 */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
/**
 * Read at most this much per call, so a huge file (a path a hostile line named) cannot hold the
 * runner for long; the next call goes on where this one stopped.
 */
export const MAX_READ_BYTES_PER_CALL = 256 * 1024 * 1024;
const NEWLINE = 0x0a;

export interface LineSink {
  /** One whole line, without its newline. The buffer is only valid during the call. */
  line(line: Buffer): void;
  /** The file was replaced by a shorter one: it is read again from the start. */
  restart(): void;
}

/**
 * Reads an agent's append-only log (JSON lines) incrementally: each call hands over only the
 * whole lines appended since the last one, so it costs only what was appended. A line split
 * between two calls waits for its end; a line longer than MAX_LINE_BYTES is dropped unread;
 * a path that is not a regular file (missing, a folder, a FIFO) reads as nothing.
 */
export class AppendedLines {
  readonly #path: string;
  readonly #budget: number;
  readonly #sink: LineSink;
  #offset = 0;
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /** Inside a line too long to keep: drop bytes until its end. */
  #skipping = false;

  constructor(path: string, sink: LineSink, readBudgetBytes = MAX_READ_BYTES_PER_CALL) {
    this.#path = path;
    this.#sink = sink;
    this.#budget = readBudgetBytes;
  }

  /** Reads what was appended since the last call, at most the read budget. */
  read(): void {
    let fd: number;
    try {
      // Non-blocking, so a FIFO planted at the path cannot hang the runner.
      fd = openSync(this.#path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return;
    }
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return;
      // Replaced or cut short: start again.
      if (stat.size < this.#offset) this.#restart();
      const buffer = Buffer.alloc(Math.min(READ_CHUNK_BYTES, this.#budget));
      for (let left = this.#budget; left > 0;) {
        const n = readSync(fd, buffer, 0, Math.min(buffer.length, left), this.#offset);
        if (n <= 0) break;
        this.#offset += n;
        left -= n;
        this.#take(buffer.subarray(0, n));
      }
    } catch {
      // A read error keeps what was read; the next call tries again from the same offset.
    } finally {
      closeSync(fd);
    }
  }

  #restart(): void {
    this.#offset = 0;
    this.#partial = [];
    this.#partialBytes = 0;
    this.#skipping = false;
    this.#sink.restart();
  }

  #take(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) break;
      const piece = chunk.subarray(start, end);
      const tooLong = this.#skipping || this.#partialBytes + piece.length > MAX_LINE_BYTES;
      if (!tooLong) this.#sink.line(this.#partialBytes === 0 ? piece : Buffer.concat([...this.#partial, piece]));
      this.#partial = [];
      this.#partialBytes = 0;
      this.#skipping = false;
      start = end + 1;
    }
    if (start >= chunk.length || this.#skipping) return;
    const rest = chunk.subarray(start);
    if (this.#partialBytes + rest.length > MAX_LINE_BYTES) {
      this.#partial = [];
      this.#partialBytes = 0;
      this.#skipping = true;
      return;
    }
    // A copy: the read buffer is reused.
    this.#partial.push(Buffer.from(rest));
    this.#partialBytes += rest.length;
  }
}
