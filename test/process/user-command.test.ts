import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { endSurvivingGroup, groupIdentity, groupSurvives } from '../../src/process/process-group.js';
import { PtyRegistry } from '../../src/agent/pty-registry.js';
import { describeFailure, runShell } from '../../src/process/user-command.js';
import { running } from '../agent/helpers/processes.js';
import { tempDir } from '../helpers/temp.js';

const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

function pids(file: string): number[] {
  const found = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : [];
  started.push(...found);
  return found;
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A shell that starts a long sleep in the background, writes both pids, and waits for it. */
function sleeper(pidFile: string, trapTerm = false): string {
  return `${trapTerm ? "trap '' TERM; " : ''}echo $$ > '${pidFile}'; sleep 371 & echo $! >> '${pidFile}'; wait`;
}

describe('runShell', () => {
  it('ends the whole process group at the time limit: a failure that says so', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const outcome = await runShell(sleeper(pidFile), dir, path.join(dir, 'log'), { timeoutMs: 300 });
    expect(outcome).toMatchObject({ passed: false, end: 'timeout' });
    expect(outcome.outputTail).toMatch(/timed out after 300ms/);
    expect(describeFailure('setup', outcome, 30 * 60_000)).toBe('setup timed out after 30m');
    expect(pids(pidFile)).toHaveLength(2);
    expect(pids(pidFile).filter(running)).toEqual([]);
  });

  it('ends the whole process group when the run stops: interrupted, not failed', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const stop = new AbortController();
    const groups: number[] = [];
    const running$ = runShell(sleeper(pidFile), dir, path.join(dir, 'log'), { timeoutMs: 60_000, signal: stop.signal, onSpawn: (group) => groups.push(group.pid) });
    await until(() => pids(pidFile).length === 2, 'the command to start');
    expect(groups).toEqual([pids(pidFile)[0]]);
    stop.abort();
    const outcome = await running$;
    expect(outcome).toMatchObject({ passed: false, end: 'interrupted' });
    expect(pids(pidFile).filter(running)).toEqual([]);
  });

  it('a forced stop kills a group that ignores SIGTERM at once, through the registry it is tracked in', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const stop = new AbortController();
    const registry = new PtyRegistry();
    const running$ = runShell(sleeper(pidFile, true), dir, path.join(dir, 'log'), { timeoutMs: 60_000, signal: stop.signal, tracker: registry });
    await until(() => pids(pidFile).length === 2, 'the command to start');
    stop.abort();
    expect(registry.size).toBe(1);
    registry.killAll();
    const outcome = await running$;
    expect(outcome.end).toBe('interrupted');
    expect(pids(pidFile).filter(running)).toEqual([]);
  });

  it('a command that passes but leaves a process behind: passed, and the leftover is ended', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const outcome = await runShell(`sleep 371 & echo $! > '${pidFile}'; echo done`, dir, path.join(dir, 'log'), { timeoutMs: 60_000 });
    expect(outcome).toMatchObject({ passed: true, exitCode: 0, end: 'exited' });
    expect(outcome.outputTail).toBe('done\n');
    // It has let go of the pipe when it is dying, a moment before it is gone: wait for that moment.
    await until(() => pids(pidFile).filter(running).length === 0, 'the leftover to be ended');
  });

  it('a leftover that ignores SIGTERM and lets go of the output still gets SIGKILL after the grace period', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const leftover = `sh -c 'trap "" TERM; echo $$ > ${pidFile}; exec sleep 371' >/dev/null 2>&1 </dev/null &`;
    const outcome = await runShell(`${leftover} while [ ! -s '${pidFile}' ]; do sleep 0.01; done; echo done`, dir, path.join(dir, 'log'), { timeoutMs: 60_000 });
    expect(outcome).toMatchObject({ passed: true, end: 'exited' });
    const [pid] = pids(pidFile);
    expect(pid).toBeDefined();
    await until(() => !running(pid!), 'the leftover to be killed');
  }, 30_000);

  it('a run already stopped starts nothing', async () => {
    const dir = tempDir();
    const stop = new AbortController();
    stop.abort();
    const spawned: number[] = [];
    const outcome = await runShell(`echo started > '${path.join(dir, 'ran')}'`, dir, path.join(dir, 'log'), { timeoutMs: 60_000, signal: stop.signal, onSpawn: (g) => spawned.push(g.pid) });
    expect(outcome).toMatchObject({ passed: false, end: 'interrupted' });
    expect(spawned).toEqual([]);
    expect(existsSync(path.join(dir, 'ran'))).toBe(false);
  });

  it('a command whose group cannot be recorded (a full disk) is killed, not left running unrecorded', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    let leader = 0;
    const failing = runShell(sleeper(pidFile), dir, path.join(dir, 'log'), {
      timeoutMs: 60_000,
      onSpawn: (group) => {
        leader = group.pid;
        started.push(group.pid);
        throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      },
    });
    await expect(failing).rejects.toThrow(/no space left/);
    // SIGKILL is sent at once, but a loaded machine may take a moment to deliver it to every member.
    await until(() => !running(leader) && pids(pidFile).filter(running).length === 0, 'the unrecorded command and its child to be killed');
  });

  it('a failing command keeps its exit code and last line', async () => {
    const dir = tempDir();
    const outcome = await runShell('echo one; echo two >&2; exit 3', dir, path.join(dir, 'log'), { timeoutMs: 60_000 });
    expect(outcome).toMatchObject({ passed: false, exitCode: 3, end: 'exited' });
    expect(describeFailure('verify', outcome, 60_000)).toBe('verify failed (exit 3): two');
  });
});

describe('a process group left by an earlier ccwave', () => {
  it('is recognised while it runs, ended with all its processes, and not after', async () => {
    const dir = tempDir();
    const pidFile = path.join(dir, 'pids');
    const child = spawn('sh', ['-c', sleeper(pidFile)], { detached: true, stdio: 'ignore' });
    child.unref();
    await until(() => pids(pidFile).length === 2, 'the command to start');
    const group = groupIdentity(child.pid!);
    expect(groupSurvives(group)).toBe(true);
    // The same number with another start time is another process: never signalled.
    expect(groupSurvives({ ...group, startTicks: group.startTicks! - 1 })).toBe(false);
    expect(await endSurvivingGroup(group)).toBe('ended');
    expect(pids(pidFile).filter(running)).toEqual([]);
    expect(groupSurvives(group)).toBe(false);
    expect(await endSurvivingGroup(group)).toBe('none');
  });
});
