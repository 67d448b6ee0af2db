import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { Journal, type JournalEvent, type NewJournalEvent } from '../../src/journal/index.js';
import { BUDGET_RAISED_MESSAGE } from '../../src/run/budget-tasks.js';
import { commitTurn, mergedTasks, planRepo, runCcwave, type PlanRepo } from './plan-repo.js';
import { journal, messagesTo, runState, startRun, until } from './stop-helpers.js';

/**
 * A run stopped while task `a` works, whose journal then says what `a` used (as the usage meter
 * records it while an agent works): the next `ccwave run` decides by the budget in WAVES.md.
 */
async function runStoppedWhileAWorks(): Promise<{ repo: PlanRepo; runId: string; sessionId: string }> {
  const slow = { steps: [{ work: 60_000 }], reply: 'Still at it.' };
  const repo = planRepo([[{ id: 'a', turns: [slow, commitTurn('a.txt')] }, { id: 'b' }]]);
  const run = startRun(repo);
  await until(() => journal(repo).some((e) => e.type === 'agent-state' && e.task === 'a' && e.state === 'working'), 'a at work');
  await until(() => journal(repo).some((e) => e.type === 'task-finished' && e.task === 'b'), 'b done');
  run.kill('SIGINT');
  expect((await run.exited).status).toBe(EXIT.interrupted);
  const runId = readdirSync(path.join(repo.dir, '.git/ccwave/runs')).sort().at(-1)!;
  const started = journal(repo).find((e) => e.type === 'agent-starting' && e.task === 'a') as Extract<JournalEvent, { type: 'agent-starting' }>;
  return { repo, runId, sessionId: started.sessionId! };
}

function record(repo: PlanRepo, runId: string, event: NewJournalEvent): void {
  const opened = Journal.open(path.join(repo.dir, '.git/ccwave'), runId);
  opened.record(event);
  opened.close();
}

function usageOfA(sessionId: string, costUsd: number, rateLimits?: { fiveHour: { usedPercentage: number; resetsAt: string } }): NewJournalEvent {
  return {
    type: 'agent-usage',
    task: 'a',
    attempt: 1,
    sessionId,
    usage: { tokens: { input: 1000, output: 200, cacheCreation: 0, cacheRead: 0 }, costUsd },
    ...(rateLimits ? { rateLimits } : {}),
  };
}

/** WAVES.md with these lines added to its front matter (the plan is read again by each run). */
function setPlanSettings(repo: PlanRepo, lines: string): void {
  const file = path.join(repo.dir, 'WAVES.md');
  const text = readFileSync(file, 'utf8').replace(/^---\n(?:budget|taskBudget|fiveHourPause):.*\n/m, '---\n');
  writeFileSync(file, text.replace(/^---\n/, `---\n${lines}\n`));
}

/** Events after the latest `run-resumed`: what this invocation did. */
function sinceResume(events: JournalEvent[]): JournalEvent[] {
  const from = events.findLastIndex((e) => e.type === 'run-resumed');
  return events.slice(from + 1);
}

/** The plan is edited, not committed, between runs: the tasks' merges are read on the run's own branch. */
const mergedInRun = (repo: PlanRepo): string[] => mergedTasks(repo, runState(repo).integration!.branch).sort();

const agentStarts = (events: JournalEvent[], task: string) => events.filter((e) => e.type === 'agent-starting' && e.task === task);

describe('a task over its budget', () => {
  it('ends over budget and stops the run (exit 3); the same budget says it is still over; a raised one continues its session to the merge', async () => {
    const { repo, runId, sessionId } = await runStoppedWhileAWorks();
    record(repo, runId, usageOfA(sessionId, 6));

    setPlanSettings(repo, 'taskBudget: { usd: 5 }');
    const first = await runCcwave(repo, ['run', '--no-tui']);
    expect(first.status).toBe(EXIT.overBudget);
    expect(first.stdout).toContain('stopped: a is over its budget (~$6.00 of $5): raise `taskBudget`');
    let events = sinceResume(journal(repo));
    expect(agentStarts(events, 'a')).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'task-finished', task: 'a', status: 'over-budget', reason: 'over its budget: ~$6.00 of $5' }));
    expect(events.filter((e) => e.type === 'merge-intent')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'run-interrupted' });

    const again = await runCcwave(repo, ['run', '--no-tui']);
    expect(again.status).toBe(EXIT.overBudget);
    expect(again.stdout).toContain('stopped: a is still over its budget (~$6.00 of $5)');
    expect(agentStarts(sinceResume(journal(repo)), 'a')).toEqual([]);

    setPlanSettings(repo, 'taskBudget: { usd: 10 }');
    const raised = await runCcwave(repo, ['run', '--no-tui']);
    expect(raised.status).toBe(EXIT.ok);
    events = sinceResume(journal(repo));
    expect(agentStarts(events, 'a')).toEqual([expect.objectContaining({ sessionId, resume: true, attempt: 1 })]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'task-finished', task: 'a', status: 'done' }));
    expect(messagesTo(repo, sessionId)).toContain(BUDGET_RAISED_MESSAGE);
    expect(mergedInRun(repo)).toEqual(['a', 'b']);
  }, 120_000);
});

describe('the run at its budget', () => {
  it('a resumed run still at its budget starts no agent and exits 3; a raised budget goes on', async () => {
    const { repo, runId, sessionId } = await runStoppedWhileAWorks();
    record(repo, runId, usageOfA(sessionId, 12));

    setPlanSettings(repo, 'budget: { usd: 10 }');
    const first = await runCcwave(repo, ['run', '--no-tui']);
    expect(first.status).toBe(EXIT.overBudget);
    // The other task's own usage (if its agent reports some) adds to the run's.
    expect(first.stdout).toMatch(/stopped: the run's budget is used up \(~\$12\.\d\d of \$10\): raise `budget` in WAVES\.md to go on/);
    expect(agentStarts(sinceResume(journal(repo)), 'a')).toEqual([]);
    expect(journal(repo).at(-1)).toMatchObject({ type: 'run-interrupted' });

    setPlanSettings(repo, 'budget: { usd: 20, tokens: 2M }');
    const raised = await runCcwave(repo, ['run', '--no-tui']);
    expect(raised.status).toBe(EXIT.ok);
    expect(agentStarts(sinceResume(journal(repo)), 'a')).toEqual([expect.objectContaining({ sessionId, resume: true })]);
    expect(mergedInRun(repo)).toEqual(['a', 'b']);
  }, 120_000);
});

describe('the five-hour window', () => {
  it('a run resumed right after a reading past the threshold starts its agent only after the reset', async () => {
    const { repo, runId, sessionId } = await runStoppedWhileAWorks();
    // Far enough ahead that a loaded machine still starts the resumed run before the reset.
    const resetsAt = new Date(Date.now() + 10_000).toISOString();
    record(repo, runId, usageOfA(sessionId, 0.5, { fiveHour: { usedPercentage: 97, resetsAt } }));

    const resumed = await runCcwave(repo, ['run', '--no-tui']);
    expect(resumed.status).toBe(EXIT.ok);
    const events = sinceResume(journal(repo));
    const order = events.filter((e) => ['limit-pause', 'limit-resume'].includes(e.type) || (e.type === 'agent-starting' && e.task === 'a')).map((e) => e.type);
    expect(order).toEqual(['limit-pause', 'limit-resume', 'agent-starting']);
    expect(events.find((e) => e.type === 'limit-pause')).toMatchObject({ until: resetsAt, usedPercentage: 97, threshold: 95 });
    expect(mergedTasks(repo).sort()).toEqual(['a', 'b']);
  }, 120_000);
});
