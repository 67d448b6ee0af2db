import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { NO_TOKENS, type TokenCounts } from '../../journal/usage.js';
import { isRecord } from '../../is-record.js';
import { tokenCount } from './usage-numbers.js';

const READ_CHUNK_BYTES = 256 * 1024;
/**
 * An assistant line carries the whole reply (a large file written with a tool, say); longer than
 * this it is skipped unread rather than held in memory.
 */
export const MAX_TRANSCRIPT_LINE_BYTES = 32 * 1024 * 1024;
/** Message ids are short; the map of them must not grow without bound on a hostile file. */
const MAX_MESSAGE_ID_CHARS = 200;
const MAX_MESSAGES = 1_000_000;
/**
 * Read at most this much per call, so a huge file (a path a hostile line named) cannot hold the
 * runner for long; the next call goes on where this one stopped.
 */
export const MAX_READ_BYTES_PER_CALL = 256 * 1024 * 1024;
const NEWLINE = 0x0a;
/** Only lines that can hold usage are parsed. */
const USAGE_MARK = Buffer.from('"usage"');

/**
 * Sums the tokens of a Claude Code transcript (one JSON line per event): every `assistant` line
 * names its API response (`message.id`) and that response's usage. A response can be written more
 * than once (one line per content block, the final usage last), so the sum is per distinct id, the
 * last line winning. Reads incrementally from where it stopped: each call costs only what was
 * appended. Bad lines, bad numbers and non-files are ignored.
 */
export class TranscriptUsage {
  readonly path: string;
  readonly #budget: number;
  #offset = 0;
  #partial: Buffer[] = [];
  #partialBytes = 0;
  /** Inside a line too long to keep: drop bytes until its end. */
  #skipping = false;
  readonly #byId = new Map<string, TokenCounts>();
  #total: TokenCounts = NO_TOKENS;

  constructor(path: string, readBudgetBytes = MAX_READ_BYTES_PER_CALL) {
    this.path = path;
    this.#budget = readBudgetBytes;
  }

  /** The sum over every response read so far. */
  get tokens(): TokenCounts {
    return this.#total;
  }

  /** Reads what was appended since the last call; true when the sum changed. */
  read(): boolean {
    let fd: number;
    try {
      // Non-blocking, so a FIFO planted at the path cannot hang the runner.
      fd = openSync(this.path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch {
      return false;
    }
    const before = this.#total;
    try {
      const stat = fstatSync(fd);
      if (!stat.isFile()) return false;
      // Replaced or cut short: start again.
      if (stat.size < this.#offset) this.#reset();
      const buffer = Buffer.alloc(Math.min(READ_CHUNK_BYTES, this.#budget));
      for (let left = this.#budget; left > 0;) {
        const n = readSync(fd, buffer, 0, Math.min(buffer.length, left), this.#offset);
        if (n <= 0) break;
        this.#offset += n;
        left -= n;
        this.#take(buffer.subarray(0, n));
      }
    } catch {
      // A read error leaves the sum as it was; the next call tries again from the same offset.
    } finally {
      closeSync(fd);
    }
    return this.#total !== before;
  }

  #reset(): void {
    this.#offset = 0;
    this.#partial = [];
    this.#partialBytes = 0;
    this.#skipping = false;
    this.#byId.clear();
    this.#total = NO_TOKENS;
  }

  #take(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end < 0) break;
      const piece = chunk.subarray(start, end);
      const tooLong = this.#skipping || this.#partialBytes + piece.length > MAX_TRANSCRIPT_LINE_BYTES;
      if (!tooLong) this.#line(this.#partialBytes === 0 ? piece : Buffer.concat([...this.#partial, piece]));
      this.#partial = [];
      this.#partialBytes = 0;
      this.#skipping = false;
      start = end + 1;
    }
    if (start >= chunk.length || this.#skipping) return;
    const rest = chunk.subarray(start);
    if (this.#partialBytes + rest.length > MAX_TRANSCRIPT_LINE_BYTES) {
      this.#partial = [];
      this.#partialBytes = 0;
      this.#skipping = true;
      return;
    }
    // A copy: the read buffer is reused.
    this.#partial.push(Buffer.from(rest));
    this.#partialBytes += rest.length;
  }

  #line(line: Buffer): void {
    if (line.indexOf(USAGE_MARK) < 0) return;
    let entry: unknown;
    try {
      entry = JSON.parse(line.toString('utf8'));
    } catch {
      return;
    }
    if (!isRecord(entry) || entry['type'] !== 'assistant' || !isRecord(entry['message'])) return;
    const { id, usage } = entry['message'];
    if (typeof id !== 'string' || id === '' || id.length > MAX_MESSAGE_ID_CHARS || !isRecord(usage)) return;
    if (!this.#byId.has(id) && this.#byId.size >= MAX_MESSAGES) return;
    const previous = this.#byId.get(id) ?? NO_TOKENS;
    const counts: TokenCounts = {
      input: tokenCount(usage['input_tokens']),
      output: tokenCount(usage['output_tokens']),
      cacheCreation: tokenCount(usage['cache_creation_input_tokens']),
      cacheRead: tokenCount(usage['cache_read_input_tokens']),
    };
    this.#byId.set(id, counts);
    if (sameCounts(previous, counts)) return;
    this.#total = {
      input: this.#total.input - previous.input + counts.input,
      output: this.#total.output - previous.output + counts.output,
      cacheCreation: this.#total.cacheCreation - previous.cacheCreation + counts.cacheCreation,
      cacheRead: this.#total.cacheRead - previous.cacheRead + counts.cacheRead,
    };
  }
}

function sameCounts(a: TokenCounts, b: TokenCounts): boolean {
  return a.input === b.input && a.output === b.output && a.cacheCreation === b.cacheCreation && a.cacheRead === b.cacheRead;
}
