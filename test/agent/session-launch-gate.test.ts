import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClaudeAdapter } from '../../src/agent/claude/claude-adapter.js';
import { LaunchGate } from '../../src/agent/launch-gate.js';
import { runAgentTask } from '../../src/agent/session.js';
import type { AgentEvent } from '../../src/agent/session-types.js';
import { runFake, taskFor } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';
import { manualClock } from './helpers/manual-clock.js';
import { waitFor } from './helpers/wait.js';

const repos: TaskRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) repo.cleanup();
});

function taskRepo(name: string): TaskRepo {
  const repo = makeTaskRepo(name);
  repos.push(repo);
  return repo;
}

/** One ordered log of what several sessions reported, each line tagged with its task. */
function sharedLog(): { lines: string[]; onEventOf(name: string): (event: AgentEvent) => void } {
  const lines: string[] = [];
  return {
    lines,
    onEventOf: (name) => (event) => {
      if (event.type === 'launch') lines.push(`${name} launch`);
      if (event.type === 'hook' && event.event.hook_event_name === 'SessionStart') lines.push(`${name} SessionStart`);
    },
  };
}

/** An agent that starts, draws one line and never runs a hook (hooks disabled, a broken install). */
function silentAgent(repo: TaskRepo, exitCode?: number) {
  const script = join(repo.root, 'silent-agent.mjs');
  writeFileSync(script, exitCode === undefined ? "process.stdout.write('up\\n'); setInterval(() => {}, 1000);\n" : `process.exit(${exitCode});\n`);
  return createClaudeAdapter({ command: [process.execPath, script] });
}

const TIMEOUTS = { wallMs: 60_000, idleMs: 20_000 };
/** The fake agent's turn: one commit, then done. */
const DONE_SCRIPT = { turns: [{ steps: [{ write: 'a.txt', content: 'a\n' }, { commit: 'add a' }], reply: 'Done.' }] };

describe('Claude launches through the launch gate (real PTY, fake agent)', () => {
  it('starts the second agent once the first reported SessionStart, while the first is still at work', async () => {
    // The cap never fires, and the first agent never ends by itself: only its hook can let the second one start.
    const gate = new LaunchGate(2_000, manualClock());
    const log = sharedLog();
    const stop = new AbortController();
    const busy = { turns: [{ steps: [{ say: 'working' }, { hang: true }] }] };
    const runs = (['a', 'b'] as const).map((name) => runFake(taskRepo(`task-${name}`), busy, { launchGate: gate, signal: stop.signal, onEvent: log.onEventOf(name) }));
    try {
      await waitFor(() => log.lines.length === 4, 20_000, 'both agents started');
    } finally {
      stop.abort();
    }
    const first = log.lines[0]!.split(' ')[0]!;
    const second = first === 'a' ? 'b' : 'a';
    expect(log.lines).toEqual([`${first} launch`, `${first} SessionStart`, `${second} launch`, `${second} SessionStart`]);
    expect((await Promise.all(runs)).map((run) => run.result.status)).toEqual(['interrupted', 'interrupted']);
  });

  it('lets the next agent start at the cap when one never reports SessionStart', async () => {
    const clock = manualClock();
    const gate = new LaunchGate(2_000, clock);
    const log = sharedLog();
    const silentRepo = taskRepo('task-silent');
    const stopSilent = new AbortController();
    const silent = runAgentTask({
      adapter: silentAgent(silentRepo),
      task: taskFor(silentRepo),
      timeouts: TIMEOUTS,
      launchGate: gate,
      signal: stopSilent.signal,
      onEvent: log.onEventOf('silent'),
    });
    await waitFor(() => log.lines.includes('silent launch'), 20_000, 'the silent agent launched');
    // The gate as the next session sees it: when it asks, and when it is let through.
    const observed = {
      enter: (signal?: AbortSignal) => {
        log.lines.push('next asks');
        return gate.enter(signal).then((release) => (log.lines.push('next let through'), release));
      },
    };
    const next = runFake(taskRepo('task-next'), DONE_SCRIPT, { launchGate: observed, onEvent: log.onEventOf('next') });
    await waitFor(() => log.lines.includes('next asks'), 20_000, 'the next session asked the gate');
    expect(clock.armed()).toEqual([2_000]);
    log.lines.push('cap');
    clock.fireAll();
    try {
      expect((await next).result.status).toBe('done');
      expect(log.lines).toEqual(['silent launch', 'next asks', 'cap', 'next let through', 'next launch', 'next SessionStart']);
    } finally {
      stopSilent.abort();
    }
    expect((await silent).status).toBe('interrupted');
  });

  it('lets the next agent start as soon as one exits without reporting (a crash at start)', async () => {
    const gate = new LaunchGate(2_000, manualClock());
    const log = sharedLog();
    const crashRepo = taskRepo('task-crash');
    const crashed = await runAgentTask({ adapter: silentAgent(crashRepo, 3), task: taskFor(crashRepo), timeouts: TIMEOUTS, launchGate: gate, onEvent: log.onEventOf('crash') });
    expect(crashed.status).toBe('failed');
    const next = await runFake(taskRepo('task-next'), DONE_SCRIPT, { launchGate: gate, onEvent: log.onEventOf('next') });
    expect(next.result.status).toBe('done');
    expect(log.lines).toEqual(['crash launch', 'next launch', 'next SessionStart']);
  });

  it('a full disk at launch stops the run (the error goes up) instead of failing the task, and frees the gate', async () => {
    const gate = new LaunchGate(2_000, manualClock());
    const log = sharedLog();
    const fullRepo = taskRepo('task-full');
    const noSpace = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const adapter = { ...silentAgent(fullRepo), prepare: () => Promise.reject(noSpace) };
    await expect(runAgentTask({ adapter, task: taskFor(fullRepo), timeouts: TIMEOUTS, launchGate: gate, onEvent: log.onEventOf('full') })).rejects.toBe(noSpace);
    // Any other launch error is the task's failure, as before.
    const deniedRepo = taskRepo('task-denied');
    const denied = { ...silentAgent(deniedRepo), prepare: () => Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) };
    const failed = await runAgentTask({ adapter: denied, task: taskFor(deniedRepo), timeouts: TIMEOUTS, launchGate: gate, onEvent: log.onEventOf('denied') });
    expect(failed).toMatchObject({ status: 'failed', reason: 'could not start the agent: EACCES: permission denied' });
    const next = await runFake(taskRepo('task-next'), DONE_SCRIPT, { launchGate: gate, onEvent: log.onEventOf('next') });
    expect(next.result.status).toBe('done');
    expect(log.lines).toEqual(['next launch', 'next SessionStart']);
  });

  it('ends a task stopped while it waits for the gate as interrupted, without launching its agent', async () => {
    const gate = new LaunchGate(2_000, manualClock());
    const holder = await gate.enter();
    const stop = new AbortController();
    const log = sharedLog();
    const waiting = runFake(taskRepo('task-waiting'), DONE_SCRIPT, { launchGate: gate, signal: stop.signal, onEvent: log.onEventOf('waiting') });
    stop.abort();
    const { result } = await waiting;
    expect(result.status).toBe('interrupted');
    expect(log.lines).toEqual([]);
    holder!();
  });
});
