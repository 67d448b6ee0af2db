import { describe, expect, it } from 'vitest';
import { conflictMessage } from '../../src/run/conflict-handback.js';
import { RESTART_MESSAGE } from '../../src/run/task-runner.js';
import { commitTurn, mergedTasks, planRepo, runCcwave, type PlanRepo } from './plan-repo.js';
import { FOREVER_MS, journal, leftoversAfter, messagesTo, resolveStep, runState, startRun, until } from './stop-helpers.js';

/**
 * Wave 1: `a` and `b` both add shared.txt, so `b`'s merge conflicts and goes back to its agent.
 * `handback` is b's answer to the conflict message; `afterwards` to the next message.
 */
function conflictRepo(handback: { steps: Record<string, unknown>[]; reply: string }, afterwards = resolveTurn()): PlanRepo {
  return planRepo([
    [
      { id: 'a', turns: [commitTurn('shared.txt', 'from a\n')] },
      { id: 'b', turns: [commitTurn('shared.txt', 'from b\n'), handback, afterwards] },
    ],
  ]);
}

function resolveTurn() {
  return { steps: [resolveStep('shared.txt', 'from a\nfrom b\n')], reply: 'Resolved.' };
}

const longTurn = { steps: [{ work: FOREVER_MS }], reply: 'Never seen.' };

/** Waits until b's agent is at work on the conflict handed back to it. */
async function untilHandbackWorking(repo: PlanRepo): Promise<void> {
  await until(() => {
    const events = journal(repo);
    // After b's merge was tried, its agent runs again: the hand-back.
    const start = events.findIndex((e) => e.type === 'merge-intent' && e.task === 'b');
    return start >= 0 && events.slice(start).some((e) => e.type === 'agent-state' && e.task === 'b' && e.state === 'working');
  }, "b's agent working on the conflict");
}

/** The end state every run of the conflict plan must reach: both merged once, resolved, landed. */
function expectResolvedAndLanded(repo: PlanRepo): void {
  expect(mergedTasks(repo)).toEqual(['a', 'b']);
  expect(repo.git('show', 'main:shared.txt')).toBe('from a\nfrom b');
  expect(repo.git('ls-tree', '--name-only', 'main', 'waves/retros/')).toBe('waves/retros/test-plan-wave-1.md');
  expect(runState(repo).status).toBe('finished');
}

describe('a stop during a conflict hand-back', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 130, the task stays resumable, and the next run continues the hand-back with the conflict message', async (signal) => {
    const repo = conflictRepo(longTurn);
    const run = startRun(repo);
    await untilHandbackWorking(repo);
    run.kill(signal);
    const stopped = await run.exited;
    expect(stopped.status, stopped.stdout + stopped.stderr).toBe(130);
    expect(stopped.stdout).toMatch(/again to resume run/);
    expect(journal(repo).at(-1)).toMatchObject({ type: 'run-interrupted' });
    const state = runState(repo);
    expect(state.tasks.b!.status).toBe('running');
    expect(state.tasks.b!.merge?.status).toBe('merging');
    expect(state.tasks.b!.handback).toMatchObject({ round: 1, pending: true, paths: ['shared.txt'], overlapping: ['a'] });
    // Neither retro'd nor landed.
    expect(state.waves[0]!.retro).toBeUndefined();
    expect(mergedTasks(repo)).toEqual([]);
    expect(await leftoversAfter(repo)).toEqual([]);

    const resumed = await runCcwave(repo, ['run', '--no-tui']);
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
    expectResolvedAndLanded(repo);
    const events = journal(repo);
    // One hand-back for the one conflict; its attempt goes on in the same session and attempt.
    expect(events.filter((e) => e.type === 'handback-started')).toHaveLength(1);
    const starts = events.filter((e) => e.type === 'agent-starting' && e.task === 'b');
    expect(starts.map((e) => e.type === 'agent-starting' && [e.attempt, e.resume])).toEqual([
      [1, false],
      [2, true],
      [2, true],
    ]);
    const handback = state.tasks.b!.handback!;
    const messages = messagesTo(repo, state.tasks.b!.sessionId!);
    const told = conflictMessage(handback).split('\n')[0]!;
    expect(messages.slice(1).map((m) => m.split('\n')[0])).toEqual([told, told]);
    expect(messages.join('\n')).not.toContain(RESTART_MESSAGE);
    expect(await leftoversAfter(repo)).toEqual([]);
  });

  it('SIGKILL: the resumed run continues the hand-back with the conflict message, not a restart', async () => {
    const repo = conflictRepo(longTurn);
    const run = startRun(repo);
    await untilHandbackWorking(repo);
    run.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    expect(await leftoversAfter(repo)).toEqual([]);

    const resumed = await runCcwave(repo, ['run', '--no-tui']);
    expect(resumed.status, resumed.stdout + resumed.stderr).toBe(0);
    expectResolvedAndLanded(repo);
    const state = runState(repo);
    const messages = messagesTo(repo, state.tasks.b!.sessionId!);
    expect(messages.at(-1)!.split('\n')[0]).toBe(conflictMessage(state.tasks.b!.handback!).split('\n')[0]);
    expect(messages.join('\n')).not.toContain(RESTART_MESSAGE);
    expect(journal(repo).filter((e) => e.type === 'handback-started')).toHaveLength(1);
  });
});

describe('a conflict hand-back that fails', () => {
  it('ends the task with the reason, records the conflict, and the run finishes with exit 1', async () => {
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
  });
});

describe('a crash while an agent works', () => {
  it('does not use up a retry: the resumed attempt is the same attempt, and its failure still gets the retry', async () => {
    // Turn 1 is cut short by the crash; the restart message gets a crash; the retry commits.
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
  });
});
