import { NO_TOKENS, type RateLimits, type RateWindow, type TokenCounts } from '../../journal/usage.js';
import { isRecord } from '../../is-record.js';
import { AppendedLines, MAX_READ_BYTES_PER_CALL } from './appended-lines.js';
import { MAX_MODEL_CHARS, MAX_TOKENS_PER_SESSION, rateWindowOf, shortString, tokenCount } from './usage-numbers.js';

/** Only lines that can hold what is read here are parsed. */
const MARKS = ['"token_count"', '"turn_context"', '"session_meta"'].map((mark) => Buffer.from(mark));
const FIVE_HOURS_MINUTES = 300;
const SEVEN_DAYS_MINUTES = 10_080;

/**
 * What a Codex rollout file ($CODEX_HOME/sessions/…/rollout-…-<session id>.jsonl, the hooks'
 * `transcript_path`) says a session used. Each `token_count` event carries the thread's running
 * total (`info.total_token_usage`, continued across `codex resume`, which appends to the same
 * file), so the last one read is the answer; its `input_tokens` include the cached ones, and
 * `output_tokens` the reasoning. Rate-limit windows come from the events' `rate_limits`, told
 * apart by their length (5 h, 7 days), not by their place; an event without them (a provider
 * that sends none, a resumed launch before its first answer) keeps the last known ones. The model
 * is the last turn's. Reads incrementally, bounded, like the Claude transcript; bad lines, bad
 * numbers and non-files are ignored.
 */
export class RolloutUsage {
  readonly path: string;
  readonly #lines: AppendedLines;
  #tokens: TokenCounts = NO_TOKENS;
  #fiveHour: RateWindow | undefined;
  #sevenDay: RateWindow | undefined;
  #model: string | undefined;
  #changed = false;

  constructor(path: string, readBudgetBytes = MAX_READ_BYTES_PER_CALL) {
    this.path = path;
    this.#lines = new AppendedLines(path, { line: (line) => this.#line(line), restart: () => this.#restart() }, readBudgetBytes);
  }

  /** The thread's total as of the last token count read. */
  get tokens(): TokenCounts {
    return this.#tokens;
  }

  get rateLimits(): RateLimits | undefined {
    if (!this.#fiveHour && !this.#sevenDay) return undefined;
    return { ...(this.#fiveHour ? { fiveHour: this.#fiveHour } : {}), ...(this.#sevenDay ? { sevenDay: this.#sevenDay } : {}) };
  }

  get model(): string | undefined {
    return this.#model;
  }

  /** Reads what was appended since the last call; true when tokens, rate limits or model changed. */
  read(): boolean {
    this.#changed = false;
    this.#lines.read();
    return this.#changed;
  }

  #restart(): void {
    this.#tokens = NO_TOKENS;
    this.#fiveHour = undefined;
    this.#sevenDay = undefined;
    this.#model = undefined;
    this.#changed = true;
  }

  #line(line: Buffer): void {
    if (!MARKS.some((mark) => line.indexOf(mark) >= 0)) return;
    let entry: unknown;
    try {
      entry = JSON.parse(line.toString('utf8'));
    } catch {
      return;
    }
    if (!isRecord(entry) || !isRecord(entry['payload'])) return;
    const payload = entry['payload'];
    if (entry['type'] === 'turn_context' || entry['type'] === 'session_meta') {
      const model = shortString(payload['model'], MAX_MODEL_CHARS);
      if (model !== undefined && model !== this.#model) {
        this.#model = model;
        this.#changed = true;
      }
      return;
    }
    if (entry['type'] !== 'event_msg' || payload['type'] !== 'token_count') return;
    const info = payload['info'];
    if (isRecord(info) && isRecord(info['total_token_usage'])) this.#setTokens(info['total_token_usage']);
    if (isRecord(payload['rate_limits'])) this.#setRateLimits(payload['rate_limits']);
  }

  #setTokens(total: Record<string, unknown>): void {
    const cached = tokenCount(total['cached_input_tokens'], MAX_TOKENS_PER_SESSION);
    const tokens: TokenCounts = {
      input: Math.max(0, tokenCount(total['input_tokens'], MAX_TOKENS_PER_SESSION) - cached),
      output: tokenCount(total['output_tokens'], MAX_TOKENS_PER_SESSION),
      cacheCreation: tokenCount(total['cache_write_input_tokens'], MAX_TOKENS_PER_SESSION),
      cacheRead: cached,
    };
    const old = this.#tokens;
    if (tokens.input === old.input && tokens.output === old.output && tokens.cacheCreation === old.cacheCreation && tokens.cacheRead === old.cacheRead) return;
    this.#tokens = tokens;
    this.#changed = true;
  }

  #setRateLimits(limits: Record<string, unknown>): void {
    for (const value of [limits['primary'], limits['secondary']]) {
      if (!isRecord(value)) continue;
      const window = rateWindowOf(value['used_percent'], value['resets_at']);
      if (!window) continue;
      if (value['window_minutes'] === FIVE_HOURS_MINUTES && !sameWindow(this.#fiveHour, window)) {
        this.#fiveHour = window;
        this.#changed = true;
      } else if (value['window_minutes'] === SEVEN_DAYS_MINUTES && !sameWindow(this.#sevenDay, window)) {
        this.#sevenDay = window;
        this.#changed = true;
      }
    }
  }
}

function sameWindow(a: RateWindow | undefined, b: RateWindow): boolean {
  return a?.usedPercentage === b.usedPercentage && a.resetsAt === b.resetsAt;
}
