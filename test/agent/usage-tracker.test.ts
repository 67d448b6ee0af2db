import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { UsageTracker } from '../../src/agent/usage/usage-tracker.js';
import { tempDir } from '../helpers/temp.js';

let transcript: string;
beforeEach(() => {
  transcript = join(tempDir('ccwave-usage-'), 's1.jsonl');
  writeFileSync(transcript, '');
});

const reply = (id: string, input: number, output: number): void =>
  appendFileSync(transcript, JSON.stringify({ type: 'assistant', message: { id, usage: { input_tokens: input, output_tokens: output } } }) + '\n');
const status = (cost: number, extra: object = {}) => ({ session_id: 's1', transcript_path: transcript, cost: { total_cost_usd: cost }, model: { id: 'm' }, ...extra });
const tokens = (input: number, output: number) => ({ input, output, cacheCreation: 0, cacheRead: 0 });

describe('usage tracker', () => {
  it('gives a reading when something changed, marks the first status line of the launch, and reads the transcript at each hook', () => {
    const t = new UsageTracker('s1');
    expect(t.onStatus(status(0.4))).toEqual({ sessionId: 's1', tokens: tokens(0, 0), costUsd: 0.4, firstOfLaunch: true, model: 'm' });
    expect(t.onStatus(status(0.4))).toBeUndefined();
    reply('msg_1', 10, 2);
    expect(t.onHook({ hook_event_name: 'Stop', session_id: 's1', transcript_path: transcript })).toEqual({ sessionId: 's1', tokens: tokens(10, 2), costUsd: 0.4, firstOfLaunch: false, model: 'm' });
    expect(t.onHook({ hook_event_name: 'Notification' })).toBeUndefined();
    reply('msg_2', 1, 1);
    expect(t.flush()?.tokens).toEqual(tokens(11, 3));
  });

  it('owes a status line after a Stop, until the next one comes', async () => {
    const t = new UsageTracker('s1');
    // Before any status line there is nothing to wait for (agents without one).
    t.onHook({ hook_event_name: 'Stop', transcript_path: transcript });
    expect(t.statusBehind).toBe(false);
    t.onStatus(status(0));
    t.onHook({ hook_event_name: 'Stop', transcript_path: transcript });
    expect(t.statusBehind).toBe(true);
    const next = t.nextStatus();
    t.onStatus(status(1));
    await next;
    expect(t.statusBehind).toBe(false);
  });

  it("ignores another session's reports", () => {
    const t = new UsageTracker('s1');
    reply('msg_1', 10, 2);
    expect(t.onStatus(status(9, { session_id: 'other' }))).toBeUndefined();
    expect(t.onHook({ hook_event_name: 'Stop', session_id: 'other', transcript_path: transcript })).toBeUndefined();
    // Nothing of its own was ever reported: no reading at all, not one of zeros.
    expect(t.flush()).toBeUndefined();
  });
});
