import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergedTasks, runCcwave } from './plan-repo.js';
import { holdingRepo, journal, killAll, lockFile, pidsOf, running, startRun, until, type HoldingRepo, type Phase } from './stop-commands.js';

const leftovers: number[] = [];
afterEach(() => killAll(leftovers.splice(0)));

/** The run's command shell and its sleep have both started (and written their pids), and ccwave recorded its group. */
async function holding(repo: HoldingRepo, phase: Phase): Promise<number[]> {
  await until(() => pidsOf(repo.pidFile(phase)).length >= 2, `the ${phase} command to hold`);
  await until(() => recordedGroup(repo, phase) !== undefined, `the ${phase} command's group to be recorded`);
  const pids = pidsOf(repo.pidFile(phase));
  leftovers.push(...pids);
  return pids;
}

/** The run resumed without the holds ends as an uninterrupted run does: a merged, main has a.txt. */
async function resumeFinishes(repo: HoldingRepo): Promise<void> {
  repo.release('setup');
  repo.release('test');
  repo.release('verify');
  const resumed = await runCcwave(repo, ['run', '--no-tui']);
  expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
  expect(mergedTasks(repo)).toEqual(['a']);
  expect(repo.git('show', 'main:a.txt')).toBe('a');
  expect(existsSync(lockFile(repo))).toBe(false);
}

/** What `ccwave status` says of the stopped phase: the setup runs again, the agent resumes, the test has no verdict. */
const STATUS_AFTER_STOP: Record<Phase, RegExp> = {
  setup: /^ {2}\S+ a\b +stopped \(was preparing\)/m,
  verify: /^ {2}\S+ a\b +stopped \(was working\)/m,
  test: /Tests: 1 run; last interrupted by a stop/,
};

/** The process group journaled for the phase's command (verify: the record next to its log). */
function recordedGroup(repo: HoldingRepo, phase: Phase): number | undefined {
  if (phase !== 'verify') {
    const started = journal(repo).find((e) => e.type === `${phase}-started`) as { group?: { pid: number } } | undefined;
    return started?.group?.pid;
  }
  try {
    const runs = path.join(repo.dir, '.git/ccwave/runs');
    const record = path.join(runs, readdirSync(runs)[0]!, 'tasks/a/verify.group.json');
    return (JSON.parse(readFileSync(record, 'utf8')) as { group: { pid: number } }).group.pid;
  } catch {
    return undefined;
  }
}

/** Stops by every signal while `phase`'s command runs, then a resume. */
export function describeStopsDuring(phase: Phase): void {
  describe(`a stop while the ${phase} command runs`, () => {
    it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s: exit 130, the command is ended, the lock released, resume finishes', async (signal) => {
      const repo = holdingRepo();
      repo.hold(phase);
      const run = startRun(repo);
      const pids = await holding(repo, phase);
      run.signal(signal);
      const end = await run.exited;
      expect(end.code, end.stdout + end.stderr).toBe(130);
      expect(pids.filter(running)).toEqual([]);
      expect(existsSync(lockFile(repo))).toBe(false);
      // Cut short, not a verdict: nothing says the command finished or failed.
      const finished = journal(repo).filter((e) => e.type === `${phase}-finished` || e.type === 'task-finished');
      expect(finished).toEqual(phase === 'test' ? [expect.objectContaining({ type: 'task-finished', status: 'done' })] : []);
      const status = await runCcwave(repo, ['status']);
      expect(status.stdout).toMatch(STATUS_AFTER_STOP[phase]);
      await resumeFinishes(repo);
    });

    it('SIGKILL: the command outlives the runner; the resume ends it first, journals a repair and finishes', async () => {
      const repo = holdingRepo();
      repo.hold(phase);
      const run = startRun(repo);
      const pids = await holding(repo, phase);
      run.signal('SIGKILL');
      expect((await run.exited).signal).toBe('SIGKILL');
      expect(pids.filter(running)).toEqual(pids);
      expect(recordedGroup(repo, phase)).toBe(pids[0]);
      await resumeFinishes(repo);
      expect(pids.filter(running)).toEqual([]);
      expect(journal(repo).filter((e) => e.type === 'repair')).toEqual([expect.objectContaining({ action: `${phase}-command-ended` })]);
    });
  });
}

/** Ten minutes: past vitest's time limit for a test, so a wait for it fails the test. */
const LONGER_THAN_ANY_TEST_MS = 10 * 60_000;

/** A second Ctrl-C during a test command that ignores SIGTERM. */
export function describeSecondStop(): void {
  describe('a second Ctrl-C', () => {
    it('ends a test command that ignores SIGTERM at once, and ccwave exits with nothing left', async () => {
      const repo = holdingRepo({ trapTerm: true });
      repo.hold('test');
      // A grace period far longer than the test may take: only the second Ctrl-C can end the command.
      const run = startRun(repo, { CCWAVE_KILL_GRACE_MS: String(LONGER_THAN_ANY_TEST_MS) });
      const pids = await holding(repo, 'test');
      run.signal('SIGINT');
      // The first stop reached the command, which ignored it.
      await until(() => existsSync(repo.pidFile('test').replace('test.pids', 'term')), 'the command to get SIGTERM');
      run.signal('SIGINT');
      const end = await run.exited;
      expect(end.code, end.stdout + end.stderr).toBe(130);
      leftovers.push(...pidsOf(repo.pidFile('test')));
      expect(pidsOf(repo.pidFile('test')).filter(running)).toEqual([]);
      expect(pids.length).toBeGreaterThan(0);
      expect(existsSync(lockFile(repo))).toBe(false);
      await resumeFinishes(repo);
    });
  });
}
