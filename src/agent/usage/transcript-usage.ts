import { NO_TOKENS, type TokenCounts } from '../../journal/usage.js';
import { isRecord } from '../../is-record.js';
import { AppendedLines, MAX_READ_BYTES_PER_CALL } from './appended-lines.js';
import { tokenCount } from './usage-numbers.js';

/** A whole reply can be one line (a large file written with a tool): longer than this it is skipped. */
export { MAX_LINE_BYTES as MAX_TRANSCRIPT_LINE_BYTES } from './appended-lines.js';
/** Message ids are short; the map of them must not grow without bound on a hostile file. */
const MAX_MESSAGE_ID_CHARS = 200;
const MAX_MESSAGES = 1_000_000;
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
  readonly #lines: AppendedLines;
  readonly #byId = new Map<string, TokenCounts>();
  #total: TokenCounts = NO_TOKENS;

  constructor(path: string, readBudgetBytes = MAX_READ_BYTES_PER_CALL) {
    this.path = path;
    this.#lines = new AppendedLines(path, { line: (line) => this.#line(line), restart: () => this.#restart() }, readBudgetBytes);
  }

  /** The sum over every response read so far. */
  get tokens(): TokenCounts {
    return this.#total;
  }

  /** Reads what was appended since the last call; true when the sum changed. */
  read(): boolean {
    const before = this.#total;
    this.#lines.read();
    return this.#total !== before;
  }

  #restart(): void {
    this.#byId.clear();
    this.#total = NO_TOKENS;
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
