import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_TRANSCRIPT_LINE_BYTES, TranscriptUsage } from '../../src/agent/usage/transcript-usage.js';
import { tempDir } from '../helpers/temp.js';

let path: string;
beforeEach(() => {
  path = join(tempDir('ccwave-transcript-'), 'session.jsonl');
});

const reply = (id: unknown, usage: unknown): string => JSON.stringify({ type: 'assistant', message: { id, role: 'assistant', usage } }) + '\n';
const usage = (input: unknown, output: unknown, cacheCreation: unknown = 0, cacheRead: unknown = 0) => ({
  input_tokens: input,
  output_tokens: output,
  cache_creation_input_tokens: cacheCreation,
  cache_read_input_tokens: cacheRead,
});
const tokens = (input: number, output: number, cacheCreation = 0, cacheRead = 0) => ({ input, output, cacheCreation, cacheRead });

describe('transcript usage', () => {
  it('sums per distinct response, the last line of a response winning', () => {
    writeFileSync(path, reply('msg_1', usage(100, 1, 5, 7)) + reply('msg_1', usage(100, 20, 5, 7)) + reply('msg_2', usage(3, 4)));
    const t = new TranscriptUsage(path);
    expect(t.read()).toBe(true);
    expect(t.tokens).toEqual(tokens(103, 24, 5, 7));
    expect(t.read()).toBe(false);
  });

  it('reads only what was appended, and a line split between two reads once it is whole', () => {
    writeFileSync(path, reply('msg_1', usage(10, 1)));
    const t = new TranscriptUsage(path);
    t.read();
    const line = reply('msg_2', usage(5, 5));
    appendFileSync(path, line.slice(0, 20));
    expect(t.read()).toBe(false);
    appendFileSync(path, line.slice(20) + reply('msg_1', usage(10, 30)));
    expect(t.read()).toBe(true);
    expect(t.tokens).toEqual(tokens(15, 35));
  });

  it.each([
    ['not JSON', '{"type":"assistant","message":{"id":"msg_x","usage":'],
    ['JSON that is not an object', '[1,2,"usage"]'],
    ['a user line', JSON.stringify({ type: 'user', message: { id: 'msg_x', usage: usage(9, 9) } })],
    ['no message id', JSON.stringify({ type: 'assistant', message: { usage: usage(9, 9) } })],
    ['usage that is not an object', JSON.stringify({ type: 'assistant', message: { id: 'msg_x', usage: 'lots' } })],
  ])('ignores %s', (_name, line) => {
    writeFileSync(path, line + '\n' + reply('msg_ok', usage(1, 2)));
    const t = new TranscriptUsage(path);
    t.read();
    expect(t.tokens).toEqual(tokens(1, 2));
  });

  it('counts a figure that is not a sane token count as nothing', () => {
    // 1e999 parses as Infinity.
    const hostile = '{"type":"assistant","message":{"id":"msg_h","usage":{"input_tokens":1e999,"output_tokens":-5,"cache_creation_input_tokens":"12","cache_read_input_tokens":1e12}}}\n';
    writeFileSync(path, hostile + reply('msg_ok', usage(1.9, 2, null, 3)));
    const t = new TranscriptUsage(path);
    t.read();
    expect(t.tokens).toEqual(tokens(1, 2, 0, 3));
  });

  it('skips a line too long to hold, and goes on after it', () => {
    const t = new TranscriptUsage(path);
    writeFileSync(path, reply('msg_1', usage(1, 1)));
    t.read();
    const huge = JSON.stringify({ type: 'assistant', message: { id: 'msg_big', usage: usage(1000, 1000), text: 'x'.repeat(MAX_TRANSCRIPT_LINE_BYTES) } });
    appendFileSync(path, huge.slice(0, MAX_TRANSCRIPT_LINE_BYTES / 2));
    t.read();
    appendFileSync(path, huge.slice(MAX_TRANSCRIPT_LINE_BYTES / 2) + '\n' + reply('msg_2', usage(2, 2)));
    t.read();
    expect(t.tokens).toEqual(tokens(3, 3));
  });

  it('reads a bounded amount per call and goes on at the next', () => {
    const lines = [reply('msg_1', usage(1, 1)), reply('msg_2', usage(2, 2)), reply('msg_3', usage(3, 3))];
    writeFileSync(path, lines.join(''));
    const t = new TranscriptUsage(path, lines[0]!.length + 5);
    t.read();
    expect(t.tokens).toEqual(tokens(1, 1));
    t.read();
    t.read();
    expect(t.tokens).toEqual(tokens(6, 6));
  });

  it('starts again when the file was replaced by a shorter one', () => {
    writeFileSync(path, reply('msg_1', usage(100, 100)) + reply('msg_2', usage(100, 100)));
    const t = new TranscriptUsage(path);
    t.read();
    writeFileSync(path, reply('msg_3', usage(1, 1)));
    t.read();
    expect(t.tokens).toEqual(tokens(1, 1));
  });

  it('reads nothing from a missing file, a folder or a FIFO, and does not block on the FIFO', () => {
    expect(new TranscriptUsage(join(path, 'missing')).read()).toBe(false);
    expect(new TranscriptUsage(join(path, '..')).read()).toBe(false);
    const fifo = join(path, '..', 'fifo');
    execFileSync('mkfifo', [fifo]);
    const t = new TranscriptUsage(fifo);
    expect(t.read()).toBe(false);
    expect(t.tokens).toEqual(tokens(0, 0));
  });
});
