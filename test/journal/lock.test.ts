import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { acquireLock, formatSince, inspectLock, judgeLiveness, lockPath, type LockInfo } from '../../src/journal/index.js';
import { readBootId, readStartTicks } from '../../src/process/process-identity.js';
import { tempDir } from '../helpers/temp.js';

const helpers = path.join(path.dirname(fileURLToPath(import.meta.url)), 'helpers');
type Child = ChildProcessByStdio<Writable, Readable, null>;

let dataDir: string;
const children: Child[] = [];
beforeEach(() => {
  dataDir = path.join(tempDir('ccwave-lock-'), 'ccwave');
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts a real process that takes the lock; resolves with its first line of output. */
function holdLock(runId: string, command: string): Promise<{ child: Child; line: string }> {
  const child = spawn(process.execPath, ['--import', './ts-hooks.mjs', 'hold-lock.ts', dataDir, runId, command], {
    cwd: helpers,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve({ child, line: output.trim() });
    });
    child.on('exit', (code) => reject(new Error(`hold-lock exited with ${code} before saying anything: ${output}`)));
  });
}

function exited(child: Child): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

describe('run lock across processes', () => {
  it('refuses a second process and names the holder', async () => {
    const { child } = await holdLock('20261123-144501-ab12', 'ccwave run WAVES.md');
    // A second real process is refused...
    const second = spawn(process.execPath, ['--import', './ts-hooks.mjs', 'hold-lock.ts', dataDir, 'other', 'ccwave run X.md'], {
      cwd: helpers,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    children.push(second);
    let secondOutput = '';
    second.stdout.on('data', (chunk: Buffer) => (secondOutput += chunk.toString()));
    expect(await exited(second)).toBe(2);
    expect(secondOutput).toContain(`refused: run 20261123-144501-ab12 is being run by pid ${child.pid} (ccwave run WAVES.md) since`);
    expect(secondOutput).toContain('wait for it or stop it');
    // ...and so is this one, with a UserError.
    const error = (() => {
      try {
        acquireLock(dataDir, { runId: 'x', command: 'ccwave run' });
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UserError);
    expect(inspectLock(dataDir)?.liveness).toEqual({ alive: true });
    expect(inspectLock(dataDir)?.info).toMatchObject({ pid: child.pid, runId: '20261123-144501-ab12', command: 'ccwave run WAVES.md' });
  });

  it('releases the lock when the holder exits normally', async () => {
    const { child } = await holdLock('r1', 'ccwave run');
    child.stdin.end();
    expect(await exited(child)).toBe(0);
    expect(existsSync(lockPath(dataDir))).toBe(false);
  });

  it('takes over the lock of a killed holder', async () => {
    const { child } = await holdLock('r1', 'ccwave run');
    child.kill('SIGKILL');
    await exited(child);
    expect(existsSync(lockPath(dataDir))).toBe(true);
    expect(inspectLock(dataDir)?.liveness).toEqual({ alive: false, why: `pid ${child.pid} is no longer running` });
    const lock = acquireLock(dataDir, { runId: 'r2', command: 'ccwave run', releaseOnExit: false });
    expect(lock.takenOver).toMatchObject({ from: { pid: child.pid, runId: 'r1' }, why: `pid ${child.pid} is no longer running` });
    const onDisk = JSON.parse(readFileSync(lockPath(dataDir), 'utf8')) as LockInfo;
    expect(onDisk).toMatchObject({ pid: process.pid, runId: 'r2', command: 'ccwave run', nonce: lock.info.nonce });
    lock.release();
    expect(existsSync(lockPath(dataDir))).toBe(false);
  });

  // Boot ids come from Linux's /proc; elsewhere a reboot is detected through the dead pid alone.
  it.runIf(readBootId() !== undefined)('lets a child take over a lock that this process left behind after a "reboot"', async () => {
    const first = acquireLock(dataDir, { runId: 'r1', command: 'ccwave run', releaseOnExit: false });
    // Pretend the lock was written before the machine restarted.
    writeFileSync(lockPath(dataDir), JSON.stringify({ ...first.info, bootId: 'another-boot' }));
    const { child, line } = await holdLock('r2', 'ccwave run');
    expect(line).toBe('locked (took over: the machine has restarted since)');
    child.stdin.end();
    await exited(child);
    // Our old handle must not delete a lock that is no longer ours.
    writeFileSync(lockPath(dataDir), JSON.stringify({ ...first.info, nonce: 'someone-else' }));
    first.release();
    expect(existsSync(lockPath(dataDir))).toBe(true);
  });
});

describe('judgeLiveness', () => {
  const here = { pid: process.pid, hostname: os.hostname(), bootId: readBootId(), startTicks: readStartTicks(process.pid) };

  it.each([
    ['this very process', here, { alive: true }],
    ['another machine', { ...here, hostname: 'elsewhere' }, { alive: 'unknown', why: 'it was taken on another machine (elsewhere)' }],
    ['before a reboot', { ...here, bootId: 'b0' }, { alive: false, why: 'the machine has restarted since' }],
    ['a dead pid', { ...here, pid: 2 ** 22 + 12345 }, { alive: false, why: `pid ${2 ** 22 + 12345} is no longer running` }],
  ])('%s', (_name, holder, expected) => {
    expect(judgeLiveness({ ...holder, bootId: holder.bootId ?? 'b1' }, { ...here, bootId: here.bootId ?? 'b1' })).toEqual(expected);
  });

  it.runIf(here.startTicks !== undefined)('a recycled pid (same pid, another start time)', () => {
    expect(judgeLiveness({ ...here, startTicks: (here.startTicks ?? 0) + 1 }, here)).toEqual({
      alive: false,
      why: `pid ${process.pid} now belongs to another process`,
    });
  });
});

describe('formatSince', () => {
  it('shows the time today and the date otherwise', () => {
    const now = new Date(2026, 10, 23, 16, 0);
    expect(formatSince(new Date(2026, 10, 23, 14, 45).toISOString(), now)).toBe('14:45');
    expect(formatSince(new Date(2026, 10, 22, 9, 5).toISOString(), now)).toBe('2026-11-22 09:05');
  });
});
