import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { gitShim, pathWith } from '../helpers/git-shim.js';
import { conflictMessage } from '../../src/run/conflict-handback.js';
import { RESTART_MESSAGE } from '../../src/run/task-runner.js';
import { commitTurn, mergedTasks, planRepo, runCcwave, type PlanRepo, type Step } from './plan-repo.js';
import { FOREVER_MS, journal, leftoversAfter, messagesTo, resolveStep, runState, startRun, until, type LiveRun } from './stop-helpers.js';

/**
 * Stops at each phase of a wave, on real repositories whose tasks the fake agent plays: the run is
 * held at the phase by a file it waits for (or a long turn), stopped, checked, then run again and
 * compared with what an uninterrupted run ends with.
 */

export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

type Turn = { steps: Step[]; reply: string };

const longTurn: Turn = { steps: [{ work: FOREVER_MS }], reply: 'Never seen.' };

/** A shell line that, the first time, says it is held and waits until the test releases it. */
function holdOnce(dir: string): string {
  const held = path.join(dir, 'held');
  const released = path.join(dir, 'released');
  return `if [ ! -f '${released}' ]; then touch '${held}'; while [ ! -f '${released}' ]; do sleep 0.05; done; fi`;
}

/** Waits until the run is held, stops it with `signal`, then releases the hold. */
async function stopWhileHeld(run: LiveRun, dir: string, signal: NodeJS.Signals, what: string): Promise<void> {
  await until(() => existsSync(path.join(dir, 'held')), what);
  run.kill(signal);
  writeFileSync(path.join(dir, 'released'), '');
}

/** A stopped run: exit 130, told how to resume, journaled as interrupted, nothing left running. */
async function expectStopped(run: LiveRun, repo: PlanRepo): Promise<void> {
  const stopped = await run.exited;
  expect(stopped.status, stopped.stdout + stopped.stderr).toBe(130);
  expect(stopped.stdout).toMatch(/again to resume run/);
  expect(journal(repo).at(-1)).toMatchObject({ type: 'run-interrupted' });
  expect(await leftoversAfter(repo)).toEqual([]);
}

/** Runs the plan again: it must finish with exit 0, every task merged once on main, retro'd. */
async function expectResumedToEnd(repo: PlanRepo, merged: string[]): Promise<void> {
  const resumed = await runCcwave(repo, ['run', '--no-tui']);
  expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
  expect(mergedTasks(repo)).toEqual(merged);
  expect(repo.git('ls-tree', '--name-only', 'main', 'waves/retros/')).toBe('waves/retros/test-plan-wave-1.md');
  expect(runState(repo).status).toBe('finished');
  expect(await leftoversAfter(repo)).toEqual([]);
}

// ---- the merge queue --------------------------------------------------------------------------

/** The test command holds the run while it tests the second candidate's merge (a.txt and b.txt). */
export async function stopDuringMergeQueue(signal: StopSignal): Promise<void> {
  const repo = planRepo([[{ id: 'a' }, { id: 'b' }]], {});
  const script = path.join(repo.scripts, 'test.sh');
  writeFileSync(script, `if [ -f a.txt ] && [ -f b.txt ]; then ${holdOnce(repo.scripts)}; fi\nexit 0\n`);
  setPlanSetting(repo, { test: `sh '${script}'`, merge: { gate: 'each' } });
  const run = startRun(repo);
  await stopWhileHeld(run, repo.scripts, signal, 'the test of the second merge');
  await expectStopped(run, repo);
  const state = runState(repo);
  // The merge that passed its test is kept; the stop ended the test of the next one, which has no
  // verdict (merged and tested again on resume); no retro, no landing.
  expect(state.tasks.a!.merge?.status).toBe('merged');
  expect(state.tasks.b!.merge?.status).toBe('merging');
  expect(state.tests.filter((t) => t.passed === false)).toEqual([]);
  expect(state.waves[0]!.retro).toBeUndefined();
  expect(mergedTasks(repo)).toEqual([]);
  await expectResumedToEnd(repo, ['a', 'b']);
}

// ---- the retrospective and landing ------------------------------------------------------------

/** `retro.agent`: the lessons session holds the run; on resume it writes its lessons at once. */
export async function stopDuringRetro(signal: StopSignal): Promise<void> {
  const repo = planRepo([[{ id: 'a' }]], { retro: { agent: true } });
  const lessons = { steps: [{ run: ['sh', '-c', holdOnce(repo.scripts)] }, { write: 'LESSONS.md', content: '- Keep it small.\n' }, { commit: 'Lessons' }], reply: 'Written.' };
  writeFileSync(path.join(repo.scripts, 'retro-wave-1.json'), JSON.stringify({ turns: [lessons] }));
  const run = startRun(repo);
  await stopWhileHeld(run, repo.scripts, signal, 'the lessons session');
  await expectStopped(run, repo);
  expect(runState(repo).waves[0]!.retro).toBeUndefined();
  expect(mergedTasks(repo)).toEqual([]);
  await expectResumedToEnd(repo, ['a']);
  expect(repo.git('show', 'main:waves/retros/test-plan-wave-1.md')).toMatch(/## Lessons\n\n- Keep it small\./);
}

/** The landing's `merge --ff-only` in the user's checkout is held (ccwave's git runs no hooks: a git shim). */
export async function stopDuringLanding(signal: StopSignal): Promise<void> {
  const repo = planRepo([[{ id: 'a' }]]);
  const landing = `[ "$1" = merge ] && [ "$2" = --ff-only ] && [ "$(pwd -P)" = '${repo.dir}' ]`;
  const bin = gitShim(path.dirname(repo.dir), `if ${landing}; then ${holdOnce(repo.scripts)}; fi`);
  const run = startRun(repo, { PATH: pathWith(bin) });
  await stopWhileHeld(run, repo.scripts, signal, 'the landing');
  await expectStopped(run, repo);
  // The landing was not cut in half: base is at the integration tip, and the run is resumable.
  const state = runState(repo);
  expect(state.land?.status).toBe('landed');
  expect(repo.git('rev-parse', 'main')).toBe(state.integration!.sha);
  expect(state.status).toBe('interrupted');
  const landed = repo.git('rev-parse', 'main');
  await expectResumedToEnd(repo, ['a']);
  expect(repo.git('rev-parse', 'main')).toBe(landed);
}

// ---- conflict hand-backs ----------------------------------------------------------------------

/**
 * Wave 1: `a` and `b` both add shared.txt, so `b`'s merge conflicts and goes back to its agent.
 * `handback` is b's answer to the conflict message; the next message gets the resolution.
 */
function conflictRepo(handback: Turn): PlanRepo {
  const resolve: Turn = { steps: [resolveStep('shared.txt', 'from a\nfrom b\n')], reply: 'Resolved.' };
  return planRepo([
    [
      { id: 'a', turns: [commitTurn('shared.txt', 'from a\n')] },
      { id: 'b', turns: [commitTurn('shared.txt', 'from b\n'), handback, resolve] },
    ],
  ]);
}

/** Waits until b's agent is at work again after its merge was tried: the hand-back. */
async function untilHandbackWorking(repo: PlanRepo): Promise<void> {
  await until(() => {
    const events = journal(repo);
    const start = events.findIndex((e) => e.type === 'merge-intent' && e.task === 'b');
    return start >= 0 && events.slice(start).some((e) => e.type === 'agent-state' && e.task === 'b' && e.state === 'working');
  }, "b's agent working on the conflict");
}

function expectResolved(repo: PlanRepo): void {
  expect(repo.git('show', 'main:shared.txt')).toBe('from a\nfrom b');
  // The resumed session was told about the conflict again, not that ccwave restarted.
  const b = runState(repo).tasks.b!;
  const messages = messagesTo(repo, b.sessionId!);
  expect(messages.join('\n')).not.toContain(RESTART_MESSAGE);
  expect(messages.at(-1)).toMatch(/^ccwave could not merge your branch/);
  // One hand-back for the one conflict, and that is what the agent was told.
  expect(journal(repo).filter((e) => e.type === 'handback-started')).toHaveLength(1);
  expect(messages.at(-1)!.split('\n')[0]).toBe(conflictMessage(b.handback!).split('\n')[0]);
}

export async function stopDuringHandback(signal: StopSignal): Promise<void> {
  const repo = conflictRepo(longTurn);
  const run = startRun(repo);
  await untilHandbackWorking(repo);
  run.kill(signal);
  await expectStopped(run, repo);
  const state = runState(repo);
  expect(state.tasks.b!.status).toBe('running');
  expect(state.tasks.b!.merge?.status).toBe('merging');
  expect(state.tasks.b!.handback).toMatchObject({ round: 1, pending: true, paths: ['shared.txt'], overlapping: ['a'] });
  expect(state.waves[0]!.retro).toBeUndefined();
  expect(mergedTasks(repo)).toEqual([]);

  await expectResumedToEnd(repo, ['a', 'b']);
  expectResolved(repo);
  // The hand-back goes on in the same session and attempt.
  const starts = journal(repo).filter((e) => e.type === 'agent-starting' && e.task === 'b');
  expect(starts.map((e) => e.type === 'agent-starting' && [e.attempt, e.resume])).toEqual([
    [1, false],
    [2, true],
    [2, true],
  ]);
}

/** `deleteWorktree`: b's worktree is also removed by hand (`rm -rf`) before the resume. */
export async function killDuringHandback(options: { deleteWorktree?: boolean } = {}): Promise<void> {
  const repo = conflictRepo(longTurn);
  const run = startRun(repo);
  await untilHandbackWorking(repo);
  run.kill('SIGKILL');
  expect((await run.exited).signal).toBe('SIGKILL');
  expect(await leftoversAfter(repo)).toEqual([]);
  if (options.deleteWorktree) rmSync(runState(repo).tasks.b!.worktree!.path, { recursive: true, force: true });
  await expectResumedToEnd(repo, ['a', 'b']);
  expectResolved(repo);
}

export async function failedHandback(): Promise<void> {
  const repo = conflictRepo({ steps: [{ crash: 3 }], reply: 'Never seen.' });
  const result = await runCcwave(repo, ['run', '--no-tui']);
  expect(result.status, result.stdout + result.stderr).toBe(1);
  const state = runState(repo);
  expect(state.status).toBe('finished');
  expect(state.tasks.b!.status).toBe('failed');
  expect(state.tasks.b!.reason).toMatch(/^while resolving a merge conflict: /);
  expect(state.tasks.b!.merge).toMatchObject({ status: 'conflict', conflictedPaths: ['shared.txt'] });
  expect(mergedTasks(repo)).toEqual(['a']);
  expect(result.stdout).toMatch(/^ {2}b: failed: while resolving a merge conflict/m);
  const status = await runCcwave(repo, ['status']);
  expect(status.stdout).not.toMatch(/running/);
  expect(status.stdout).toMatch(/\bb\b.*failed/);
}

// ---- retries ----------------------------------------------------------------------------------

/** Turn 1 is cut short by the crash; the restart message gets a crash; the retry commits. */
export async function crashKeepsTheRetry(): Promise<void> {
  const repo = planRepo([[{ id: 'c', turns: [longTurn, { steps: [{ crash: 3 }], reply: 'Never seen.' }, commitTurn('c.txt')] }]]);
  const run = startRun(repo);
  await until(() => journal(repo).some((e) => e.type === 'agent-state' && e.task === 'c' && e.state === 'working'), 'c working');
  run.kill('SIGKILL');
  await run.exited;
  await leftoversAfter(repo);
  const resumed = await runCcwave(repo, ['run', '--no-tui']);
  expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
  expect(mergedTasks(repo)).toEqual(['c']);
  const starts = journal(repo).filter((e) => e.type === 'agent-starting');
  expect(starts.map((e) => e.type === 'agent-starting' && [e.attempt, e.resume])).toEqual([
    [1, false],
    [1, true],
    [2, true],
  ]);
}

/** Rewrites WAVES.md's front matter with `settings` added, and commits it. */
function setPlanSetting(repo: PlanRepo, settings: Record<string, unknown>): void {
  const file = path.join(repo.dir, 'WAVES.md');
  const text = readFileSync(file, 'utf8');
  const lines = Object.entries(settings).map(([key, value]) => `${key}: ${JSON.stringify(value)}`);
  writeFileSync(file, text.replace(/^---\n/, `---\n${lines.join('\n')}\n`));
  repo.git('commit', '-qam', 'plan settings');
}
