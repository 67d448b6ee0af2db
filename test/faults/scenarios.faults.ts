import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, rmSync, statSync, symlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { git } from '../helpers/git.js';
import { checkPoint, crashAndResume, formatReport, outcomeProblems } from './crash-resume.js';
import {
  appendUncheckedToJournal,
  ccwave,
  expectedTree,
  journalFile,
  journalSoFar,
  killLeftovers,
  leftoverProcesses,
  liveAgents,
  liveProcesses,
  lostCommits,
  makeTemplate,
  outcomeOf,
  readJournal,
  removeSandbox,
  removeTemplate,
  run,
  sandboxFrom,
  worktrees,
  type CliRun,
  type JournalLine,
  type Sandbox,
} from './harness.js';

/**
 * Faults other than the runner's own death: agents killed under a live runner, a torn journal
 * line, ccwave's integration worktree deleted by hand, a full disk under the journal.
 *
 * The K values below were picked from an uninterrupted run's journal (65 events); agents run
 * concurrently, so the event at K can shift by one or two: each test logs which one it was.
 */
const template = makeTemplate();
const tree = expectedTree();
const sandboxes: Sandbox[] = [];

function sandbox(label: string): Sandbox {
  const made = sandboxFrom(template, label);
  sandboxes.push(made);
  return made;
}

afterEach((ctx) => {
  const failed = ctx.task.result?.state === 'fail';
  for (const s of sandboxes.splice(0)) {
    killLeftovers(s);
    // A failed test's sandbox is kept for inspection.
    if (failed) console.log(`sandbox kept: ${s.root}`);
    else removeSandbox(s);
  }
});
afterAll(() => removeTemplate(template));

function pids(sandbox: Sandbox): number[] {
  return liveAgents(sandbox).map((p) => p.pid);
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function taskEnds(events: readonly JournalLine[], task: string): JournalLine[] {
  return events.filter((e) => e.type === 'task-finished' && e.task === task);
}

describe('agents killed from outside while the runner lives', () => {
  it('one kill of every agent alive: the retry resumes the session and the run ends as if nothing happened', async () => {
    const s = sandbox('agents-killed-once');
    const killed: number[] = [];
    const result = await run(s, {
      onTick: () => {
        if (killed.length > 0) return;
        const alive = pids(s);
        if (alive.length === 0 || !journalSoFar(s).some((e) => e.type === 'agent-state' && e.state === 'working')) return;
        for (const pid of alive) kill(pid);
        killed.push(...alive);
      },
    });
    const events = readJournal(s);
    console.log(
      `killed agents ${killed.join(', ')}; exit ${result.code}\n${events
        .filter((e) => e.type === 'task-finished' || e.type === 'agent-starting')
        .map((e) => `  ${e.type} ${String(e.task)} ${String(e.status ?? `attempt ${String(e.attempt)}`)} ${String(e.reason ?? '')}`)
        .join('\n')}`,
    );
    expect(killed.length).toBeGreaterThan(0);
    expect(result.code, result.stdout).toBe(0);
    expect(outcomeProblems(outcomeOf(s), tree)).toEqual([]);
    expect(await leftoverProcesses(s)).toEqual([]);
    expect(lostCommits(s)).toEqual([]);
  });

  it('every fake Claude killed for the whole of wave 1: its task fails after its retry, the run goes on and ends with exit 1', async () => {
    const s = sandbox('agents-killed-always');
    const killed = new Set<number>();
    const result = await run(s, {
      onTick: () => {
        if (journalSoFar(s).some((e) => e.type === 'wave-finished')) return;
        for (const pid of pids(s)) {
          kill(pid);
          killed.add(pid);
        }
      },
    });
    const events = readJournal(s);
    console.log(`killed ${killed.size} agent processes; exit ${result.code}\n${result.stdout.slice(-1500)}`);
    expect(result.code).toBe(1);
    expect(events.at(-1)?.type).toBe('run-finished');
    expect(taskEnds(events, 'f2-beta').at(-1)?.status).toBe('failed');
    // The plain command agents are not fake Claudes: not killed, merged. f4-delta needs f2-beta's
    // work: its tests fail, so it is not merged.
    expect(outcomeOf(s).merges).toEqual({ 'f1-alpha': 1, 'f3-gamma': 1, 'f5-epsilon': 1 });
    expect(await leftoverProcesses(s)).toEqual([]);
    expect(lostCommits(s)).toEqual([]);
    const clean = await ccwave(s, ['clean', '--all', '--force']);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(worktrees(s)).toEqual([s.repo]);
  });
});

/** A write torn by the crash: the start of the next event, without its end or a newline. */
function tearJournal(s: Sandbox, journal: JournalLine[]): void {
  const last = journal.at(-1)!;
  appendUncheckedToJournal(s, `{"v":1,"seq":${last.seq + 1},"at":"${new Date().toISOString()}","type":"merge-do`);
}

/** The torn line stays in the middle of the journal: `ccwave status` must still read the run. */
async function statusReads(s: Sandbox): Promise<string[]> {
  const status = await ccwave(s, ['status']);
  const problems: string[] = [];
  if (status.code !== 0) problems.push(`ccwave status exited ${status.code}: ${status.stderr.slice(0, 500)}`);
  if (/corrupt/i.test(status.stdout + status.stderr)) problems.push(`ccwave status calls the journal corrupt: ${status.stderr.slice(0, 500)}`);
  return problems;
}

describe('the journal\u2019s last line torn', () => {
  // During wave 1's agents and in its merge queue.
  it.each([11, 22])('crash at K=%i, half a JSON line appended, resume', async (k) => {
    const report = await crashAndResume(template, k, tree, { between: tearJournal, afterwards: statusReads });
    console.log(formatReport(report));
    checkPoint(report);
  });
});

/** The integration worktree's folder removed by hand (`rm -rf`), not with `git worktree remove`. */
function deleteIntegrationWorktree(_s: Sandbox, journal: JournalLine[]): void {
  const started = journal.find((e) => e.type === 'run-started') as { integration: { worktree: string } } | undefined;
  const folder = started!.integration.worktree;
  expect(existsSync(folder), folder).toBe(true);
  rmSync(folder, { recursive: true, force: true });
}

describe('the integration worktree deleted by hand between the crash and the resume', () => {
  // After a merge-intent, after the retrospective, during wave 2's agents.
  it.each([19, 36, 48])('crash at K=%i, rm -rf the integration worktree, resume', async (k) => {
    const report = await crashAndResume(template, k, tree, { between: deleteIntegrationWorktree });
    console.log(formatReport(report));
    checkPoint(report);
  });
});

describe('a test command still running when the runner is killed', () => {
  // Was BUG-3: the test command runs in its own process group outside any PTY, so nothing ended it
  // when the runner was SIGKILLed: it outlived the runner, and the resumed run checked out other
  // commits under it in the same integration worktree. The group is now journaled with the
  // test-started event, and the resume ends a survivor before anything else.
  it('the resume first ends the orphaned test command, tests again and ends as the uninterrupted run', async () => {
    const s = sandbox('slow-tests');
    let killedAfter: string | undefined;
    const first = await run(s, {
      env: { FAULT_SLOW_TESTS_MS: '12000' },
      onTick: (pid) => {
        const last = journalSoFar(s).at(-1);
        // Once the test command runs (test-started is journaled as it is spawned).
        if (killedAfter || last?.type !== 'test-started' || liveProcesses(s, 'test/all.mjs').length === 0) return;
        killedAfter = `${last.seq} test-started`;
        kill(pid);
      },
    });
    expect(first.signal).toBe('SIGKILL');
    const orphans = liveProcesses(s, 'test/all.mjs');
    const before = readJournal(s).length;
    console.log(`runner killed after event ${killedAfter}; alive after it: ${orphans.map((p) => `${p.pid} ${p.cmdline} (cwd ${p.cwd})`).join('; ') || 'nothing'}`);
    expect(orphans.length, 'the slow test command outlives a SIGKILLed runner').toBeGreaterThan(0);
    const resumed = await run(s);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    const after = readJournal(s).slice(before);
    expect(after.slice(0, 2).map((e) => `${e.type} ${String(e.action ?? '')}`.trim())).toEqual(['run-resumed', 'repair test-command-ended']);
    expect(await leftoverProcesses(s)).toEqual([]);
    expect(outcomeProblems(outcomeOf(s), tree)).toEqual([]);
    expect(lostCommits(s)).toEqual([]);
  });
});

describe('a task worktree deleted by hand between the crash and the resume', () => {
  // Was BUG-4 (fixed in fa9dfa7): ensureTaskWorktree (src/run/worktree-setup.ts) planned a *new*
  // branch (`…/f1-alpha-2`, forked from the wave's start) for a task whose worktree was created and
  // then deleted, and added it at the old path without `git worktree prune`: git refused ("is a
  // missing but already registered worktree"), the resume died with exit 70, and so did every
  // later resume. Even after a prune, the task would have started over away from its commits.
  it('the task goes on from its branch: the commit made before the crash is in main', async () => {
    const s = sandbox('task-worktree-deleted');
    const alphaCommits = (): string[] =>
      readFileSync(s.commitLog, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('f1-alpha '))
        .map((l) => l.split(' ')[1]!);
    let killedAfter: JournalLine | undefined;
    const first = await run(s, {
      onTick: (pid) => {
        if (killedAfter || alphaCommits().length === 0) return;
        killedAfter = journalSoFar(s).at(-1);
        kill(pid);
      },
    });
    expect(first.signal).toBe('SIGKILL');
    const events = readJournal(s);
    const alpha = events.find((e) => e.type === 'worktree-created' && e.task === 'f1-alpha') as { path: string; branch: string } | undefined;
    const finished = events.some((e) => e.type === 'task-finished' && e.task === 'f1-alpha');
    const before = alphaCommits();
    console.log(`runner killed after ${killedAfter?.seq} ${killedAfter?.type}; f1-alpha finished: ${finished}; its commits: ${before.join(', ')}`);
    await leftoverProcesses(s);
    rmSync(alpha!.path, { recursive: true, force: true });
    const resumed = await run(s);
    const after = readJournal(s);
    console.log(
      `resume: exit ${resumed.code}\n${after
        .filter((e) => e.task === 'f1-alpha' && e.seq > events.length)
        .map((e) => `  ${e.seq} ${e.type} ${String(e.branch ?? e.status ?? '')} ${String(e.reason ?? '')}`)
        .join('\n')}`,
    );
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(outcomeProblems(outcomeOf(s), tree)).toEqual([]);
    expect(lostCommits(s)).toEqual([]);
    // The work committed before the crash is the task's: kept on its branch and merged.
    for (const sha of before) expect(git(s.repo, 'merge-base', '--is-ancestor', sha, 'main').length).toBe(0);
  });
});

/** The folder the disk-full test mounts a tiny tmpfs on: all of ccwave's run data. */
function dataDir(s: Sandbox): string {
  return path.join(s.repo, '.git/ccwave');
}

function tryMount(dir: string, size: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

/** Writes zeros into `file` until the filesystem is full, to the last byte. */
function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [64 * 1024, 4096, 256, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) writeSync(fd, chunk);
      } catch {
        // ENOSPC: full at this size; smaller writes may still fit.
      }
    }
  } finally {
    closeSync(fd);
  }
}

function unmount(dir: string): void {
  try {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  } catch {
    // not mounted
  }
}

describe('disk full under the journal', () => {
  const TMPFS_SIZE = '8m';
  /** tmpfs allocates whole pages: a file's last page takes appends until it is full. */
  const PAGE = 4096;
  const ROOM_LEFT = 150;
  /** The first runs of the disk-full tests, for the BUG-5 and BUG-6 checks. */
  let dataDirFull: CliRun | undefined;
  let journalFull: CliRun | undefined;
  it('the data dir fills up during wave 1: the runner stops without losing anything, and resumes once there is room', async (ctx) => {
    const s = sandbox('disk-full');
    const data = dataDir(s);
    execFileSync('mkdir', ['-p', data]);
    const why = tryMount(data, TMPFS_SIZE);
    if (why) {
      console.log(`disk-full test skipped: cannot mount a tmpfs (${why})`);
      ctx.skip();
      return;
    }
    try {
      const filler = path.join(data, 'filler');
      let filledAt: number | undefined;
      const full = await run(s, {
        onTick: () => {
          if (filledAt !== undefined) return;
          const events = journalSoFar(s);
          if (!events.some((e) => e.type === 'agent-state' && e.state === 'working')) return;
          filledAt = events.at(-1)!.seq;
          fillDisk(filler);
        },
      });
      dataDirFull = full;
      const afterFull = readJournal(s);
      console.log(
        `disk filled after event ${filledAt}; the runner ended with ${full.signal ?? `exit ${full.code}`} after event ${afterFull.at(-1)?.seq} (${afterFull.at(-1)?.type})\n--- stdout\n${full.stdout.slice(-1500)}\n--- stderr\n${full.stderr.slice(-1500)}`,
      );
      expect(filledAt).toBeDefined();
      expect(full.code === 0 && afterFull.at(-1)?.type === 'run-finished', 'a run cannot finish with a full journal disk').toBe(false);
      const orphans = await leftoverProcesses(s);
      expect(orphans, 'processes left by the runner that hit the full disk').toEqual([]);
      expect(lostCommits(s)).toEqual([]);

      rmSync(filler);
      const resumed = await run(s);
      const again = resumed.code === 0 ? resumed : await run(s);
      console.log(`after freeing the disk: exit ${again.code}\n${again.stdout.slice(-1200)}\n${again.stderr.slice(-1200)}`);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(outcomeProblems(outcomeOf(s), tree)).toEqual([]);
      expect(await leftoverProcesses(s)).toEqual([]);
      expect(lostCommits(s)).toEqual([]);
    } finally {
      killLeftovers(s);
      unmount(data);
    }
  });

  // Was BUG-5 (fixed in fa9dfa7): the PTY host's raw log (src/agent/pty-host.ts, createWriteStream
  // without an 'error' listener; the same in runShell, src/merge/test-command.ts) turned ENOSPC
  // into an unhandled 'error' event: the runner died with Node's stack trace and exit 1 ("tasks
  // failed"), without a message.
  it("a full disk stops the runner with ccwave's own message, not an unhandled 'error' event", () => {
    expect(dataDirFull).toBeDefined();
    expect(dataDirFull!.stderr).not.toMatch(/Unhandled 'error' event/);
    expect(dataDirFull!.stderr).not.toMatch(/internal error/);
    expect(dataDirFull!.stderr).toMatch(/^ccwave: the disk is full .*can be resumed/m);
    expect(dataDirFull!.code).toBe(74);
  });

  it('only the journal’s disk is full, with room for one more line: the runner stops at the failed append and resumes once there is room', async (ctx) => {
    const s = sandbox('journal-full');
    // Every worktree made, no agent launched yet (events 1-8 come in this order in every run).
    const crashed = await run(s, { faultAfter: 8 });
    expect(crashed.signal).toBe('SIGKILL');
    expect(readJournal(s).at(-1)?.type).toBe('worktree-created');
    const disk = path.join(s.root, 'journal-disk');
    execFileSync('mkdir', ['-p', disk]);
    const why = tryMount(disk, '1m');
    if (why) {
      console.log(`journal-full test skipped: cannot mount a tmpfs (${why})`);
      ctx.skip();
      return;
    }
    try {
      // The journal moves to the tiny disk (the other run data stays where it is), is padded with
      // a blank line (the reader skips it) to leave room in its last page for the resume's
      // run-resumed line (~110 bytes) but not for the agent-starting after it (~300), and the
      // rest of the disk is filled.
      const journal = journalFile(s);
      const moved = path.join(disk, 'journal.jsonl');
      execFileSync('cp', [journal, moved]);
      rmSync(journal);
      symlinkSync(moved, journal);
      const size = statSync(moved).size;
      let target = Math.ceil(size / PAGE) * PAGE - ROOM_LEFT;
      if (target <= size + 1) target += PAGE;
      appendFileSync(moved, `${' '.repeat(target - size - 1)}\n`);
      fillDisk(path.join(disk, 'filler'));
      const full = await run(s);
      journalFull = full;
      const text = readFileSync(journal, 'utf8');
      const afterFull = readJournal(s);
      console.log(
        `the runner ended with ${full.signal ?? `exit ${full.code}`}; journal: last event ${afterFull.at(-1)?.seq} ${afterFull.at(-1)?.type}, ends with a newline: ${text.endsWith('\n')}\n--- stdout\n${full.stdout.slice(-1200)}\n--- stderr\n${full.stderr.slice(-1500)}`,
      );
      expect(afterFull.at(-1)?.type, 'a run cannot go on without its journal').not.toBe('run-finished');
      expect(await leftoverProcesses(s), 'processes left by the runner that could not journal').toEqual([]);
      expect(lostCommits(s)).toEqual([]);
      const status = await ccwave(s, ['status']);
      console.log(`ccwave status with the full journal: exit ${status.code}\n${status.stdout.slice(0, 400)}${status.stderr.slice(0, 400)}`);
      expect(status.code, status.stderr).toBe(0);

      rmSync(path.join(disk, 'filler'));
      let again = await run(s);
      if (again.code !== 0 && readJournal(s).at(-1)?.type !== 'run-finished') again = await run(s);
      console.log(`after freeing the disk: exit ${again.code}\n${again.stderr.slice(-800)}`);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(outcomeProblems(outcomeOf(s), tree)).toEqual([]);
      expect(await leftoverProcesses(s)).toEqual([]);
      expect(lostCommits(s)).toEqual([]);
    } finally {
      killLeftovers(s);
      unmount(disk);
    }
  });

  // Was BUG-6 (fixed in fa9dfa7): runAgents (src/run/wave-runner.ts) dropped the promise of each
  // queued task (`void queue.add(...)`): an exception in runTask, here the journal's ENOSPC at
  // the agent-starting line, was an unhandled rejection that killed the process with Node's stack
  // trace and exit 1 (documented as "some task failed"), past the top-level boundary
  // (src/cli/program.ts) and run.ts's `finally`.
  it("a failed journal append reaches ccwave's top-level error boundary, which calls it a full disk", () => {
    expect(journalFull).toBeDefined();
    expect(journalFull!.stderr).toMatch(/^ccwave: the disk is full .*can be resumed/m);
    expect(journalFull!.stderr).toMatch(/^hint: free some space/m);
    expect(journalFull!.code).toBe(74);
  });
});
