import { execFileSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { HookChannel } from '../../src/agent/hook-channel.js';
import type { HookEvent } from '../../src/agent/hook-event.js';
import { HOOK_SCRIPT_SOURCE, hookCommand, shellQuote } from '../../src/agent/hook/hook-script.js';
import { tempDir } from '../helpers/temp.js';
import { waitFor } from './helpers/wait.js';

let dir: string;
beforeEach(() => {
  dir = tempDir('ccwave-hook-');
});

/** Runs the hook command through a shell with the event on stdin, as Claude Code does. */
function runHook(event: object, verify?: { command: string; maxAttempts: number; timeoutMs: number }): string {
  const script = join(dir, "it's hook.mjs");
  const channel = join(dir, 'hooks.jsonl');
  const config = join(dir, 'hook-config.json');
  writeFileSync(script, HOOK_SCRIPT_SOURCE);
  writeFileSync(config, JSON.stringify({ verify }));
  const command = hookCommand(process.execPath, script, channel, config);
  return execFileSync('/bin/sh', ['-c', command], { input: JSON.stringify(event), encoding: 'utf8' });
}

const channelLines = (): HookEvent[] =>
  readFileSync(join(dir, 'hooks.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as HookEvent);

describe('hook script', () => {
  it('appends the event as one line and prints nothing', () => {
    const out = runHook({ hook_event_name: 'Stop', session_id: 's1', last_assistant_message: 'Done.\nReally.' });
    expect(out).toBe('');
    expect(channelLines()).toEqual([{ hook_event_name: 'Stop', session_id: 's1', last_assistant_message: 'Done.\nReally.' }]);
  });

  it('blocks a stop while the verify command fails, then lets it go', () => {
    const verify = { command: 'test -f ok.txt || (echo "ok.txt missing" && exit 1)', maxAttempts: 2, timeoutMs: 10_000 };
    const base = { hook_event_name: 'Stop', cwd: dir };
    const first = JSON.parse(runHook({ ...base, stop_hook_active: false }, verify)) as { decision: string; reason: string };
    expect(first.decision).toBe('block');
    expect(first.reason).toContain('ok.txt missing');
    // Second stop in a row: the last allowed attempt fails, so the agent is let go.
    expect(runHook({ ...base, stop_hook_active: true }, verify)).toBe('');
    writeFileSync(join(dir, 'ok.txt'), '');
    expect(runHook({ ...base, stop_hook_active: false }, verify)).toBe('');
    expect(channelLines().map((e) => e.ccwave_verify)).toEqual([
      { ok: false, attempt: 1, blocked: true, output: 'ok.txt missing\n' },
      { ok: false, attempt: 2, blocked: false, output: 'ok.txt missing\n' },
      { ok: true, attempt: 1, blocked: false, output: '' },
    ]);
  });

  it('quotes words for the shell', () => {
    expect(shellQuote("a b'c")).toBe(`'a b'\\''c'`);
  });
});

describe('HookChannel', () => {
  it('reports complete lines once, in order, across partial writes', async () => {
    const path = join(dir, 'channel.jsonl');
    const seen: string[] = [];
    const channel = new HookChannel(path, (e) => seen.push(e.hook_event_name));
    channel.start();
    appendFileSync(path, '{"hook_event_name":"SessionStart"}\n{"hook_event_name":"St');
    channel.poll();
    expect(seen).toEqual(['SessionStart']);
    appendFileSync(path, 'op"}\nnot json\n{"hook_event_name":"SessionEnd"}\n');
    await waitFor(() => seen.length === 3);
    channel.stop();
    expect(seen).toEqual(['SessionStart', 'Stop', 'SessionEnd']);
  });

  it('starts after what the file already holds (a resumed task does not replay old events)', () => {
    const path = join(dir, 'channel.jsonl');
    writeFileSync(path, '{"hook_event_name":"Stop"}\n');
    const seen: string[] = [];
    const channel = new HookChannel(path, (e) => seen.push(e.hook_event_name));
    channel.start();
    channel.stop();
    expect(seen).toEqual([]);
  });
});
