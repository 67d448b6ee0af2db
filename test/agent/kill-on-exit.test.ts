import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { killGroup, processGroupMembers } from './helpers/processes.js';
import { waitFor } from './helpers/wait.js';

const HELPERS = resolve(import.meta.dirname, 'helpers');
let dir: string;
let agentGroups: number[] = [];
let hosts: ChildProcess[] = [];

beforeEach(() => {
  dir = tempDir('ccwave-kill-');
  // An agent that ignores SIGHUP and SIGTERM and has a child doing the same: only an explicit
  // SIGKILL of the process group ends them, so the test proves the cleanup, not the kernel's hangup.
  writeFileSync(
    join(dir, 'script.json'),
    JSON.stringify({
      turns: [{ steps: [{ ignoreSignals: true }, { spawnChild: ['sh', '-c', 'trap "" HUP TERM; sleep 600'] }, { say: 'ready' }, { hang: true }] }],
    }),
  );
});
afterEach(() => {
  // If a test failed half-way: SIGTERM runs the host's cleanup, which kills its agent too.
  for (const host of hosts) if (host.exitCode === null && host.signalCode === null) host.kill('SIGTERM');
  for (const pgid of agentGroups) killGroup(pgid);
  hosts = [];
  agentGroups = [];
});

/** Starts the stand-in ccwave process; resolves with it and its agent's pid once the agent runs. */
async function startHost(mode: string) {
  const child = spawn(process.execPath, ['--import', join(HELPERS, 'ts-resolve.mjs'), join(HELPERS, 'host-child.mjs'), mode, join(dir, 'script.json'), dir, dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hosts.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await waitFor(() => /ready \d+/.test(out) || child.exitCode !== null, 30_000, 'agent ready');
  const match = /ready (\d+)/.exec(out);
  if (!match) throw new Error(`host child failed: ${err}`);
  const pgid = Number(match[1]);
  agentGroups.push(pgid);
  await waitFor(() => processGroupMembers(pgid).length >= 2, 10_000, 'agent child started');
  return { child, pgid, exited };
}

describe('no agent outlives ccwave', () => {
  it.each([
    ['exits', 'exit', undefined, 0],
    ['gets SIGTERM', 'sigterm', 'SIGTERM', 143],
    ['gets SIGINT', 'sigint', 'SIGINT', 130],
    ['dies of an uncaught error', 'uncaught', undefined, 1],
  ] as const)('when ccwave %s, the agent process group is killed', async (_name, mode, signal, code) => {
    const { child, pgid, exited } = await startHost(mode);
    if (signal) child.kill(signal);
    expect(await exited).toBe(code);
    await waitFor(() => processGroupMembers(pgid).length === 0, 10_000, 'agent group gone');
  });

  it('control: without the cleanup installed, such an agent survives its parent', async () => {
    const { pgid, exited } = await startHost('no-cleanup');
    await exited;
    await new Promise((r) => setTimeout(r, 500));
    expect(processGroupMembers(pgid).length).toBeGreaterThan(0);
  });
});
