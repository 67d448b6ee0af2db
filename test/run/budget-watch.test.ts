import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/errors.js';
import { RunRecorder } from '../../src/journal/recorder.js';
import { initialRunState, type RunState } from '../../src/journal/run-state.js';
import type { NewJournalEvent } from '../../src/journal/events.js';
import type { Usage } from '../../src/journal/usage.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import type { Plan } from '../../src/plan/types.js';
import { budgetReached, limitPauseFor } from '../../src/run/budget-check.js';
import { overBudgetStop, tasksBackWithinBudget } from '../../src/run/budget-tasks.js';
import { watchBudgets } from '../../src/run/budget-watch.js';
import { StopControl, TaskStops } from '../../src/run/stop-control.js';
import { UsagePause } from '../../src/run/usage-pause.js';
import { memoryJournal, runStartedEvent } from '../helpers/journal.js';
import { tempDir } from '../helpers/temp.js';

const TASKS = ['feature-001-a', 'feature-002-b'];

/** A real plan of two tasks in one wave, with these WAVES.md settings. */
function planWith(frontMatter: string): Plan {
  const root = tempDir();
  mkdirSync(path.join(root, '.git'));
  for (const id of TASKS) {
    mkdirSync(path.join(root, `feature-management/features/${id}`), { recursive: true });
    writeFileSync(path.join(root, `feature-management/features/${id}/PROMPT.md`), `# Feature: ${id}\n\n## Acceptance Criteria\n- [ ] works\n`);
  }
  writeFileSync(path.join(root, 'WAVES.md'), `---\n${frontMatter}\n---\n## Wave 1\n\n${TASKS.map((id) => `- ${id}\n`).join('')}`);
  const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return plan!;
}

function usage(costUsd: number, tokens = 0): Usage {
  return { tokens: { input: tokens, output: 0, cacheCreation: 0, cacheRead: 0 }, costUsd };
}

function reported(task: string, costUsd: number, tokens = 0): NewJournalEvent {
  return { type: 'agent-usage', task, attempt: 1, sessionId: `s-${task}`, usage: usage(costUsd, tokens) };
}

/** A run whose two agents are at work, watched by the budget policy. */
function watchedRun(frontMatter: string, before: NewJournalEvent[] = []) {
  const recorder = new RunRecorder(memoryJournal(), initialRunState());
  recorder.record(runStartedEvent([TASKS]));
  recorder.record({ type: 'wave-started', wave: 1, fromSha: '2'.repeat(40) });
  for (const event of before) recorder.record(event);
  const stop = new StopControl();
  const taskStops = new TaskStops();
  const pause = new UsagePause({ now: () => 0 });
  const unwatch = watchBudgets({ plan: planWith(frontMatter), recorder, stop, taskStops, pause });
  const start = (task: string): void => {
    recorder.record({ type: 'agent-starting', task, attempt: 1, sessionId: `s-${task}`, resume: false, agent: 'claude', logPath: '/l' });
    recorder.record({ type: 'agent-state', task, state: 'working' });
  };
  return { recorder, stop, taskStops, pause, unwatch, start };
}

/** The watch acts right after the event that decided it. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('budget figures', () => {
  it.each([
    [usage(4.99), { usd: 5 }, undefined],
    [usage(5), { usd: 5 }, '~$5.00 of $5'],
    [usage(5.123), { usd: 5 }, '~$5.12 of $5'],
    [usage(0, 1_999_999), { tokens: 2_000_000 }, undefined],
    [usage(0, 2_100_000), { tokens: 2_000_000 }, '2.1M of 2M tokens'],
    [usage(6, 2_100_000), { usd: 5, tokens: 2_000_000 }, '~$6.00 of $5, 2.1M of 2M tokens'],
    [usage(1, 10), { usd: 5, tokens: 2_000_000 }, undefined],
    [usage(100, 1e9), undefined, undefined],
  ])('%j against %j: %s', (used, budget, figures) => {
    expect(budgetReached(used, budget)).toBe(figures);
  });

  it('counts cache reads and writes as tokens too', () => {
    expect(budgetReached({ tokens: { input: 1, output: 1, cacheCreation: 700, cacheRead: 798 }, costUsd: 0 }, { tokens: 1000 })).toBe('1.5k of 1k tokens');
  });
});

describe('the five-hour threshold', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  const window = (usedPercentage: number, resetsAt: string) => ({ fiveHour: { usedPercentage, resetsAt } });

  it.each([
    ['below the threshold', window(94.9, '2026-12-02T11:00:00Z'), 95, undefined],
    ['at it', window(95, '2026-12-02T11:00:00Z'), 95, '2026-12-02T11:00:00.000Z'],
    ['a reset already past (the window emptied since)', window(99, '2026-12-02T09:59:59Z'), 95, undefined],
    ['a reset beyond a window length, capped', window(99, '2027-01-01T00:00:00Z'), 95, '2026-12-02T15:00:00.000Z'],
    ['switched off', window(100, '2026-12-02T11:00:00Z'), false as const, undefined],
    ['no five-hour window (an API key)', {}, 95, undefined],
  ])('%s', (_, limits, threshold, until) => {
    expect(limitPauseFor(limits, threshold, now)?.until.toISOString()).toBe(until);
  });
});

describe('a task at its budget', () => {
  it('is stopped, with the figures, and the other task goes on', async () => {
    const run = watchedRun('taskBudget: { usd: 5 }');
    run.start('feature-001-a');
    run.start('feature-002-b');
    run.recorder.record(reported('feature-001-a', 4.2));
    await settled();
    expect(run.taskStops.stopped('feature-001-a')).toBe(false);
    run.recorder.record(reported('feature-002-b', 1));
    run.recorder.record(reported('feature-001-a', 5.12));
    await settled();
    expect(run.taskStops.causeOf('feature-001-a')).toEqual({ kind: 'over-budget', reason: 'over its budget: ~$5.12 of $5' });
    expect(run.taskStops.stopped('feature-002-b')).toBe(false);
    expect(run.stop.stopping).toBe(false);
  });

  it('in tokens, over every launch of its session', async () => {
    const run = watchedRun('taskBudget: { tokens: 500k }');
    run.start('feature-001-a');
    run.recorder.record(reported('feature-001-a', 0, 300_000));
    await settled();
    expect(run.taskStops.stopped('feature-001-a')).toBe(false);
    run.recorder.record(reported('feature-001-a', 0, 510_000));
    await settled();
    expect(run.taskStops.causeOf('feature-001-a')).toEqual({ kind: 'over-budget', reason: 'over its budget: 510k of 500k tokens' });
  });

  it('a report after the task ended stops nothing', async () => {
    const run = watchedRun('taskBudget: { usd: 5 }');
    run.start('feature-001-a');
    run.recorder.record({ type: 'task-finished', task: 'feature-001-a', status: 'done', reason: 'done', commits: 1 });
    run.recorder.record(reported('feature-001-a', 9));
    await settled();
    expect(run.taskStops.stopped('feature-001-a')).toBe(false);
  });

  it('a person stopping it with k still cancels it', () => {
    const stops = new TaskStops();
    stops.stop('feature-001-a');
    expect(stops.causeOf('feature-001-a')).toEqual({ kind: 'person' });
    stops.clear('feature-001-a');
    expect(stops.causeOf('feature-001-a')).toBeUndefined();
  });
});

describe('the run at its budget', () => {
  it('holds launches, lets the agent at work finish its turn, then stops resumably', async () => {
    const run = watchedRun('budget: { usd: 10 }');
    run.start('feature-001-a');
    run.start('feature-002-b');
    run.recorder.record(reported('feature-001-a', 6));
    run.recorder.record({ type: 'agent-state', task: 'feature-002-b', state: 'idle' });
    await settled();
    expect(run.pause.held).toBeUndefined();
    run.recorder.record(reported('feature-001-a', 6.5));
    run.recorder.record(reported('feature-002-b', 4));
    await settled();
    expect(run.pause.held).toBe("the run's budget is used up (~$10.50 of $10): raise `budget` in WAVES.md to go on");
    // feature-001 is in the middle of a turn: it is let finish it.
    expect(run.stop.stopping).toBe(false);
    run.recorder.record({ type: 'agent-state', task: 'feature-001-a', state: 'idle' });
    await settled();
    expect(run.stop.stopping).toBe(true);
    expect(run.stop.reason).toBe(run.pause.held);
    expect(run.stop.exitCode).toBe(EXIT.overBudget);
  });

  it('a resumed run still at its budget stops at once, whatever its journal last said an agent did', async () => {
    const before: NewJournalEvent[] = [
      { type: 'agent-starting', task: 'feature-001-a', attempt: 1, sessionId: 's-feature-001-a', resume: false, agent: 'claude', logPath: '/l' },
      { type: 'agent-state', task: 'feature-001-a', state: 'working' },
      reported('feature-001-a', 12),
    ];
    const run = watchedRun('budget: { usd: 10 }', before);
    expect(run.stop.stopping).toBe(true);
    expect(run.stop.reason).toMatch(/budget is used up \(~\$12\.00 of \$10\)/);
    await settled();
  });

  it('a resumed run with a larger budget goes on', async () => {
    const run = watchedRun('budget: { usd: 20 }', [reported('feature-001-a', 12)]);
    run.start('feature-001-a');
    run.recorder.record(reported('feature-001-a', 19));
    await settled();
    expect(run.pause.held).toBeUndefined();
    expect(run.stop.stopping).toBe(false);
    run.unwatch();
    run.recorder.record(reported('feature-001-a', 25));
    await settled();
    expect(run.stop.stopping).toBe(false);
  });
});

/** A recorder that counts how often its state's whole task list is gone through (Object.keys, values, entries). */
class ListingCounter extends RunRecorder {
  listings = 0;

  override get state(): RunState {
    const state = super.state;
    const tasks = new Proxy(state.tasks, {
      ownKeys: (target) => {
        this.listings += 1;
        return Reflect.ownKeys(target);
      },
    });
    return { ...state, tasks };
  }
}

describe('the cost of watching', () => {
  it.each([2, 50, 500])("keeps the run's usage without going through all %i tasks on each report", async (n) => {
    const ids = Array.from({ length: n }, (_, i) => `task-${i}`);
    const recorder = new ListingCounter(memoryJournal(), initialRunState());
    recorder.record(runStartedEvent([ids]));
    recorder.record({ type: 'wave-started', wave: 1, fromSha: '2'.repeat(40) });
    for (const task of ids) recorder.record({ type: 'agent-starting', task, attempt: 1, sessionId: `s-${task}`, resume: false, agent: 'claude', logPath: '/l' });
    const stop = new StopControl();
    const pause = new UsagePause({ now: () => 0 });
    // A dollar per task: the last report reaches the budget, so the sum must be right too.
    watchBudgets({ plan: planWith(`budget: { usd: ${n} }`), recorder, stop, taskStops: new TaskStops(), pause });
    recorder.listings = 0;
    for (const task of ids) {
      recorder.record(reported(task, 0.5));
      recorder.record(reported(task, 1));
      await settled();
      if (task !== ids.at(-1)) expect(pause.held).toBeUndefined();
    }
    // Once: at the budget, to see whether an agent is in the middle of a turn before stopping.
    expect(recorder.listings).toBe(1);
    expect(stop.stopping).toBe(true);
    expect(pause.held).toMatch(new RegExp(`budget is used up \\(~\\$${n}\\.00 of \\$${n}\\)`));
  });
});

describe('a wave with a task over its budget, read again with the plan', () => {
  function overBudgetRun(frontMatter: string) {
    const plan = planWith(frontMatter);
    const recorder = new RunRecorder(memoryJournal(), initialRunState());
    recorder.record(runStartedEvent([TASKS]));
    recorder.record({ type: 'agent-starting', task: 'feature-001-a', attempt: 1, sessionId: 's-feature-001-a', resume: false, agent: 'claude', logPath: '/l' });
    recorder.record(reported('feature-001-a', 6.2));
    recorder.record({ type: 'task-finished', task: 'feature-001-a', status: 'over-budget', reason: 'over its budget: ~$6.20 of $5', commits: 0 });
    recorder.record({ type: 'task-finished', task: 'feature-002-b', status: 'done', reason: 'done', commits: 1 });
    return { wave: plan.waves[0]!, state: recorder.state };
  }

  it('with the same budget it stays over, and the run says it is still over', () => {
    const { wave, state } = overBudgetRun('taskBudget: { usd: 5 }');
    expect(tasksBackWithinBudget(state, wave)).toEqual([]);
    expect(overBudgetStop(state, wave, new Set(['feature-001-a']))).toBe(
      "feature-001-a is still over its budget (~$6.20 of $5): raise `taskBudget` (in WAVES.md or the task's PROMPT.md) to go on; the wave's merge waits for it",
    );
  });

  it('with a larger budget, or none, it is taken up again', () => {
    for (const frontMatter of ['taskBudget: { usd: 10 }', 'concurrency: 2']) {
      const { wave, state } = overBudgetRun(frontMatter);
      expect(tasksBackWithinBudget(state, wave).map((task) => task.id)).toEqual(['feature-001-a']);
    }
  });

  it('a budget in tokens the usage is below takes it up again too', () => {
    const { wave, state } = overBudgetRun('taskBudget: { tokens: 1M }');
    expect(tasksBackWithinBudget(state, wave).map((task) => task.id)).toEqual(['feature-001-a']);
  });

  it('a wave without a task over budget goes on to its merge', () => {
    const { wave } = overBudgetRun('taskBudget: { usd: 5 }');
    const recorder = new RunRecorder(memoryJournal(), initialRunState());
    recorder.record(runStartedEvent([TASKS]));
    expect(overBudgetStop(recorder.state, wave, new Set())).toBeUndefined();
  });
});
