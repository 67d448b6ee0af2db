import { execFileSync } from 'node:child_process';
import { appendFileSync, copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES } from '../../src/agent/usage/appended-lines.js';
import { RolloutUsage } from '../../src/agent/usage/rollout-usage.js';
import { tempDir } from '../helpers/temp.js';

/**
 * A real rollout: Codex 0.171.0 against a fake Responses API (100 input tokens of which 40
 * cached, 20 output of which 5 reasoning, per answer; rate-limit headers 42.5 % then 43 % of the
 * 5-hour window and 7 % then 8 % of the weekly one), two turns, /exit, then `codex resume <id>`
 * with a third turn and no rate-limit headers.
 */
const RECORDED = resolve(import.meta.dirname, '../../fixtures/rollouts/codex-0.171.0-resumed.jsonl');

let path: string;
beforeEach(() => {
  path = join(tempDir('ccwave-rollout-'), 'rollout.jsonl');
});

const line = (type: string, payload: unknown): string => JSON.stringify({ timestamp: '2026-12-02T12:00:00.000Z', type, payload }) + '\n';
const total = (input: unknown, cached: unknown, output: unknown, cacheWrite: unknown = 0) => ({
  input_tokens: input,
  cached_input_tokens: cached,
  cache_write_input_tokens: cacheWrite,
  output_tokens: output,
  reasoning_output_tokens: 0,
  total_tokens: 0,
});
const tokenCountLine = (totalUsage: unknown, rateLimits: unknown = { limit_id: 'codex', primary: null, secondary: null }): string =>
  line('event_msg', { type: 'token_count', info: { total_token_usage: totalUsage, last_token_usage: totalUsage, model_context_window: 258400 }, rate_limits: rateLimits });
const tokens = (input: number, output: number, cacheCreation = 0, cacheRead = 0) => ({ input, output, cacheCreation, cacheRead });
const window = (used: unknown, minutes: unknown, resetsAt: unknown) => ({ used_percent: used, window_minutes: minutes, resets_at: resetsAt });

describe('rollout usage', () => {
  it('reads a real rollout, resumed: the last running total, both windows and the model', () => {
    const rollout = new RolloutUsage(RECORDED);
    expect(rollout.read()).toBe(true);
    // Four answers: 400 input of which 160 cached, 80 output.
    expect(rollout.tokens).toEqual(tokens(240, 80, 0, 160));
    // The resumed launch's token count has no windows: the last known ones stay.
    expect(rollout.rateLimits).toEqual({
      fiveHour: { usedPercentage: 43, resetsAt: new Date(1796226642 * 1000).toISOString() },
      sevenDay: { usedPercentage: 8, resetsAt: new Date(1796647842 * 1000).toISOString() },
    });
    expect(rollout.model).toBe('gpt-5-codex');
    expect(rollout.read()).toBe(false);
  });

  it('follows the real rollout as it grows, line by line', () => {
    const lines = readFileSync(RECORDED, 'utf8').split(/(?<=\n)/);
    const rollout = new RolloutUsage(path);
    const seen: number[] = [];
    writeFileSync(path, '');
    for (const next of lines) {
      appendFileSync(path, next);
      if (rollout.read()) seen.push(rollout.tokens.output);
    }
    // The model comes first, then each answer's running total; rate-limit changes repeat a total.
    expect(seen.filter((output, i) => output !== seen[i - 1])).toEqual([0, 20, 40, 60, 80]);
    expect(rollout.tokens).toEqual(tokens(240, 80, 0, 160));
  });

  it('takes the last token count, not a sum, and ignores one without figures', () => {
    writeFileSync(path, tokenCountLine(total(100, 40, 20)) + tokenCountLine(total(250, 100, 50, 7)) + line('event_msg', { type: 'token_count', info: null, rate_limits: null }));
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(150, 50, 7, 100));
  });

  it('never counts input below zero when cached claims more than all input', () => {
    writeFileSync(path, tokenCountLine(total(10, 50, 5)));
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(0, 5, 0, 50));
  });

  it('counts a figure that is not a sane token count as nothing', () => {
    // 1e999 parses as Infinity.
    const hostile =
      '{"type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":1e999,"cached_input_tokens":-5,"cache_write_input_tokens":"12","output_tokens":1e30}}}}\n';
    writeFileSync(path, hostile);
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(0, 0, 0, 0));
    appendFileSync(path, tokenCountLine(total(9.7, null, 3)));
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(9, 3, 0, 0));
  });

  it.each([
    ['not JSON', '{"type":"event_msg","payload":{"type":"token_count","info":'],
    ['JSON that is not an object', '["token_count"]'],
    ['a response item quoting a token count', line('response_item', { type: 'token_count', info: { total_token_usage: total(900, 0, 900) } }).trim()],
    ['usage that is not an object', line('event_msg', { type: 'token_count', info: { total_token_usage: 'lots' } }).trim()],
  ])('ignores %s', (_name, bad) => {
    writeFileSync(path, tokenCountLine(total(3, 1, 2)) + bad + '\n');
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(2, 2, 0, 1));
  });

  it('tells the windows apart by their length, not their place, and drops unusable ones', () => {
    const weeklyFirst = { primary: window(12, 10080, 1796647842), secondary: window(150, 300, 1796226642) };
    writeFileSync(path, tokenCountLine(total(1, 0, 1), weeklyFirst));
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.rateLimits).toEqual({
      fiveHour: { usedPercentage: 100, resetsAt: new Date(1796226642 * 1000).toISOString() },
      sevenDay: { usedPercentage: 12, resetsAt: new Date(1796647842 * 1000).toISOString() },
    });
    const bad = [
      { primary: window(-1, 300, 1796226642), secondary: window(Number.NaN, 10080, 1796647842) },
      { primary: window(5, 300, 1e15), secondary: window(5, 10080, -3) },
      { primary: window(5, 60, 1796226642), secondary: window('5', 10080, 1796647842) },
      { primary: 'full', secondary: [] },
    ];
    for (const limits of bad) appendFileSync(path, tokenCountLine(total(1, 0, 1), limits));
    rollout.read();
    expect(rollout.rateLimits?.fiveHour?.usedPercentage).toBe(100);
    expect(rollout.rateLimits?.sevenDay?.usedPercentage).toBe(12);
  });

  it('has no rate limits when no event carried a usable window', () => {
    writeFileSync(path, tokenCountLine(total(1, 0, 1)) + tokenCountLine(total(1, 0, 1), { primary: window(5, 60, 1796226642) }));
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.rateLimits).toBeUndefined();
  });

  it('takes the model of the last turn, and only a sane one', () => {
    const turn = (model: unknown) => line('turn_context', { turn_id: 't', cwd: '/w', model });
    writeFileSync(path, turn('gpt-5-codex') + turn('gpt-5.1-codex-max') + turn('x'.repeat(500)) + turn('evil\u001b[2J') + turn(42));
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.model).toBe('gpt-5.1-codex-max');
  });

  it('skips a line too long to hold, and goes on after it', () => {
    const rollout = new RolloutUsage(path);
    writeFileSync(path, tokenCountLine(total(1, 0, 1)));
    rollout.read();
    const huge = line('event_msg', { type: 'token_count', info: { total_token_usage: total(1000, 0, 1000) }, pad: 'x'.repeat(MAX_LINE_BYTES) });
    appendFileSync(path, huge.slice(0, MAX_LINE_BYTES / 2));
    rollout.read();
    appendFileSync(path, huge.slice(MAX_LINE_BYTES / 2) + tokenCountLine(total(2, 0, 2)));
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(2, 2));
  });

  it('reads a bounded amount per call and goes on at the next', () => {
    const lines = [tokenCountLine(total(1, 0, 1)), tokenCountLine(total(2, 0, 2)), tokenCountLine(total(3, 0, 3))];
    writeFileSync(path, lines.join(''));
    const rollout = new RolloutUsage(path, lines[0]!.length + 5);
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(1, 1));
    rollout.read();
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(3, 3));
  });

  it('waits for the end of a line cut short, and starts again when the file was cut shorter', () => {
    const last = tokenCountLine(total(9, 0, 9));
    writeFileSync(path, tokenCountLine(total(5, 0, 5)) + last.slice(0, 30));
    const rollout = new RolloutUsage(path);
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(5, 5));
    appendFileSync(path, last.slice(30));
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(9, 9));
    truncateSync(path, 10);
    expect(rollout.read()).toBe(true);
    expect(rollout.tokens).toEqual(tokens(0, 0));
    copyFileSync(RECORDED, path);
    rollout.read();
    expect(rollout.tokens).toEqual(tokens(240, 80, 0, 160));
  });

  it('reads nothing from a missing file, a folder or a FIFO, and does not block on the FIFO', () => {
    expect(new RolloutUsage(join(path, 'missing')).read()).toBe(false);
    expect(new RolloutUsage(join(path, '..')).read()).toBe(false);
    const fifo = join(path, '..', 'fifo');
    execFileSync('mkfifo', [fifo]);
    const rollout = new RolloutUsage(fifo);
    expect(rollout.read()).toBe(false);
    expect(rollout.tokens).toEqual(tokens(0, 0));
    expect(rollout.rateLimits).toBeUndefined();
    expect(rollout.model).toBeUndefined();
  });
});
