import type { RateLimits, RateWindow } from '../../journal/usage.js';
import { isRecord } from '../../is-record.js';
import { costUsd, MAX_MODEL_CHARS, rateWindowOf, shortString } from './usage-numbers.js';

/**
 * What ccwave takes from Claude Code's status-line JSON: the cost (cumulative per process, and
 * restored by `--resume`), the model and the subscription's rate-limit windows. Its token figures
 * are the last request's only, and calls are debounced, so tokens come from the transcript instead.
 */
export interface StatusLineFacts {
  sessionId?: string;
  transcriptPath?: string;
  costUsd?: number;
  model?: string;
  rateLimits?: RateLimits;
}

const MAX_PATH_CHARS = 4096;

export function statusLineFacts(status: unknown): StatusLineFacts {
  if (!isRecord(status)) return {};
  const facts: StatusLineFacts = {};
  const sessionId = shortString(status['session_id'], MAX_MODEL_CHARS);
  if (sessionId) facts.sessionId = sessionId;
  const transcriptPath = shortString(status['transcript_path'], MAX_PATH_CHARS);
  if (transcriptPath) facts.transcriptPath = transcriptPath;
  const cost = isRecord(status['cost']) ? costUsd(status['cost']['total_cost_usd']) : undefined;
  if (cost !== undefined) facts.costUsd = cost;
  const model = isRecord(status['model']) ? shortString(status['model']['id'], MAX_MODEL_CHARS) : undefined;
  if (model) facts.model = model;
  const rateLimits = rateLimitsOf(status['rate_limits']);
  if (rateLimits) facts.rateLimits = rateLimits;
  return facts;
}

function rateLimitsOf(value: unknown): RateLimits | undefined {
  if (!isRecord(value)) return undefined;
  const fiveHour = rateWindow(value['five_hour']);
  const sevenDay = rateWindow(value['seven_day']);
  if (!fiveHour && !sevenDay) return undefined;
  return { ...(fiveHour ? { fiveHour } : {}), ...(sevenDay ? { sevenDay } : {}) };
}

/** `{used_percentage, resets_at (epoch seconds)}`; a window with either figure unusable is dropped. */
function rateWindow(value: unknown): RateWindow | undefined {
  return isRecord(value) ? rateWindowOf(value['used_percentage'], value['resets_at']) : undefined;
}
