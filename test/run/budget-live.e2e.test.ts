import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import type { JournalEvent } from '../../src/journal/index.js';
import { BUDGET_RAISED_MESSAGE } from '../../src/run/budget-tasks.js';
import { commitTurn, mergedTasks, planRepo, runCcwave, type PlanRepo, type TaskSpec } from './plan-repo.js';
import { journal, messagesTo, runState } from './stop-helpers.js';

/**
 * Budgets and the five-hour window as a run meets them: the fake agent reports its usage and the
 * account's window the way Claude Code does (transcript and status line), ccwave journals it, and
 * the budget policy acts on what was journaled.
 */

/** One API response of this cost, then a reply: the turn ends without a commit. */
const spendTurn = (costUsd: number) => ({ steps: [{ usage: { input: 1000, output: 200, costUsd } }, { work: 200 }], reply: 'Working on it.' });

function repoWith(tasks: TaskSpec[], settings: Record<string, unknown>): PlanRepo {
  const repo = planRepo([tasks], settings);
  // Only the steps' usage counts: no figures added per reply.
  for (const task of tasks) {
    const file = path.join(repo.scripts, `${task.id}.json`);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), defaultUsage: false }));
  }
  return repo;
}

function setFrontMatterLine(repo: PlanRepo, key: string, line: string): void {
  const file = path.join(repo.dir, 'WAVES.md');
  const text = readFileSync(file, 'utf8').replace(new RegExp(`^${key}:.*\\n(?:[ ]+.*\\n)*`, 'm'), '');
  writeFileSync(file, text.replace(/^---\n/, `---\n${line}\n`));
}

const sinceLastStart = (events: JournalEvent[]): JournalEvent[] => events.slice(events.findLastIndex((e) => e.type === 'run-started' || e.type === 'run-resumed') + 1);
const startsOf = (events: JournalEvent[], task: string) => events.filter((e) => e.type === 'agent-starting' && e.task === task);
const mergedInRun = (repo: PlanRepo): string[] => mergedTasks(repo, runState(repo).integration!.branch).sort();

describe('budgets met while agents work', () => {
  it('a task that spends past its budget is stopped and ends over budget; the run resumed with a larger budget continues its session', async () => {
    const repo = repoWith([{ id: 'a', turns: [spendTurn(6), commitTurn('a.txt'), commitTurn('a.txt'), commitTurn('a.txt')] }, { id: 'b' }], { taskBudget: { usd: 5 } });
    const first = await runCcwave(repo, ['run', '--no-tui']);
    expect(first.status).toBe(EXIT.overBudget);
    expect(first.stdout).toMatch(/stopped: a is over its budget \(~\$6\.00 of \$5\)/);
    const events = journal(repo);
    expect(events).toContainEqual(expect.objectContaining({ type: 'task-finished', task: 'a', status: 'over-budget', reason: 'over its budget: ~$6.00 of $5' }));
    expect(events).toContainEqual(expect.objectContaining({ type: 'task-finished', task: 'b', status: 'done' }));
    const sessionId = runState(repo).tasks.a!.sessionId!;

    setFrontMatterLine(repo, 'taskBudget', 'taskBudget: { usd: 8 }');
    const raised = await runCcwave(repo, ['run', '--no-tui']);
    expect(raised.status).toBe(EXIT.ok);
    expect(startsOf(sinceLastStart(journal(repo)), 'a')).toEqual([expect.objectContaining({ sessionId, resume: true })]);
    expect(messagesTo(repo, sessionId)).toContain(BUDGET_RAISED_MESSAGE);
    expect(mergedInRun(repo)).toEqual(['a', 'b']);
  }, 120_000);

  it('a run that spends past its budget starts no new agent and stops with exit 3; raised, it goes on', async () => {
    const repo = repoWith([{ id: 'a', turns: [{ ...commitTurn('a.txt'), steps: [{ usage: { input: 5000, output: 500, costUsd: 3 } }, ...commitTurn('a.txt').steps] }] }, { id: 'b' }], {
      budget: { usd: 2 },
      concurrency: 1,
    });
    const first = await runCcwave(repo, ['run', '--no-tui']);
    expect(first.status).toBe(EXIT.overBudget);
    expect(first.stdout).toMatch(/stopped: the run's budget is used up \(~\$3\.00 of \$2\): raise `budget` in WAVES\.md to go on/);
    expect(startsOf(journal(repo), 'b')).toEqual([]);

    setFrontMatterLine(repo, 'budget', 'budget: { usd: 50 }');
    const raised = await runCcwave(repo, ['run', '--no-tui']);
    expect(raised.status).toBe(EXIT.ok);
    expect(startsOf(sinceLastStart(journal(repo)), 'b')).toHaveLength(1);
    expect(mergedInRun(repo)).toEqual(['a', 'b']);
  }, 120_000);
});

describe('the run at its budget with an agent in the middle of a turn', () => {
  it('lets that agent finish its turn (its commit is made), starts no other, then stops', async () => {
    // Long enough for b to start (after a's SessionStart) and be at work when a's spending is journaled.
    const spend = { steps: [{ work: 3500 }, { usage: { input: 5000, output: 500, costUsd: 3 } }, ...commitTurn('a.txt').steps], reply: 'Added a.txt.' };
    const longTurn = { steps: [{ work: 6000 }, ...commitTurn('b.txt').steps], reply: 'Added b.txt.' };
    const repo = repoWith([{ id: 'a', turns: [spend] }, { id: 'b', turns: [longTurn] }, { id: 'c' }], { budget: { usd: 2 }, concurrency: 2 });
    const run = await runCcwave(repo, ['run', '--no-tui']);
    expect(run.status).toBe(EXIT.overBudget);
    const events = journal(repo);
    expect(startsOf(events, 'c')).toEqual([]);
    const overAt = events.findIndex((e) => e.type === 'agent-usage' && e.task === 'a' && e.usage.costUsd >= 3);
    const bTurnEnd = events.findIndex((e, i) => i > overAt && e.type === 'agent-state' && e.task === 'b' && e.state === 'idle');
    expect(overAt).toBeGreaterThan(-1);
    expect(bTurnEnd).toBeGreaterThan(overAt);
    const branch = runState(repo).tasks.b!.worktree!.branch;
    expect(repo.git('log', '--format=%s', branch)).toContain('Add b.txt');
  }, 120_000);
});

describe('the five-hour window past fiveHourPause', () => {
  it('holds the next launch until the window resets, then goes on', async () => {
    const fullWindow = { steps: [{ rateLimits: { fiveHour: 97, resetInSec: 4 } }, ...commitTurn('a.txt').steps], reply: 'Added a.txt.' };
    const repo = repoWith([{ id: 'a', turns: [fullWindow] }, { id: 'b' }], { concurrency: 1 });
    const run = await runCcwave(repo, ['run', '--no-tui']);
    expect(run.status).toBe(EXIT.ok);
    const events = journal(repo);
    const order = events.filter((e) => e.type === 'limit-pause' || e.type === 'limit-resume' || (e.type === 'agent-starting' && e.task === 'b')).map((e) => e.type);
    expect(order).toEqual(['limit-pause', 'limit-resume', 'agent-starting']);
    expect(events.find((e) => e.type === 'limit-pause')).toMatchObject({ usedPercentage: 97, threshold: 95 });
    expect(mergedTasks(repo).sort()).toEqual(['a', 'b']);
  }, 120_000);

  it('fiveHourPause: false launches into a full window', async () => {
    const fullWindow = { steps: [{ rateLimits: { fiveHour: 99, resetInSec: 3600 } }, ...commitTurn('a.txt').steps], reply: 'Added a.txt.' };
    const repo = repoWith([{ id: 'a', turns: [fullWindow] }, { id: 'b' }], { concurrency: 1, fiveHourPause: false });
    const run = await runCcwave(repo, ['run', '--no-tui']);
    expect(run.status).toBe(EXIT.ok);
    expect(journal(repo).filter((e) => e.type === 'limit-pause')).toEqual([]);
  }, 120_000);
});
