import type { JournalEvent, NewJournalEvent, RunState } from '../../src/journal/index.js';
import { journalOf, stateOf as foldEvents } from '../helpers/journal.js';

export const RUN = '20261123-144501-ab12';
export const BASE = '1'.repeat(40);
export const TIP_A = 'a'.repeat(40);
export const TIP_C = 'c'.repeat(40);
export const TIP_D = 'd'.repeat(40);
export const MERGE_A = '3'.repeat(40);
export const INTEGRATION_SHA = '4'.repeat(40);
const START = Date.UTC(2026, 10, 23, 14, 45, 1);

/** A step of a scripted run: seconds after the wave started, and the event the runner would append. */
export type Step = [seconds: number, event: NewJournalEvent];

/** The events as the journal stores them: numbered, timed, and checked by the real schema. */
export function journal(steps: readonly Step[]): JournalEvent[] {
  return journalOf(steps.map(([seconds, event]) => [new Date(START + seconds * 1000), event]));
}

/** Folds scripted steps through the real reducer. */
export function stateOf(steps: readonly Step[]): RunState {
  return foldEvents(journal(steps));
}

export function runStarted(taskIds: string[], waveName = 'Wave 1: building blocks'): Step[] {
  return [
    [
      0,
      {
        type: 'run-started',
        runId: RUN,
        planFile: 'WAVES.md',
        planName: 'Textkit',
        base: { branch: 'main', sha: BASE },
        integration: { branch: `ccwave/${RUN}/integration`, worktree: '/tmp/repo.ccwave/_integration' },
        settings: {},
        waves: [{ index: 1, name: waveName, tasks: taskIds.map((id) => ({ id, title: `Task ${id}`, promptPath: `f/${id}/PROMPT.md` })) }],
      },
    ],
    [0, { type: 'wave-started', wave: 1, fromSha: BASE }],
  ];
}

/** A task's life up to `task-finished`: worktree, one agent attempt per entry of `attempts`. */
export function taskRun(id: string, from: number, to: number, finished: Omit<Extract<NewJournalEvent, { type: 'task-finished' }>, 'type' | 'task'>, attempts = 1): Step[] {
  const branch = `ccwave/${RUN}/w1/${id}`;
  const steps: Step[] = [[from, { type: 'worktree-created', task: id, path: `/tmp/repo.ccwave/${id}`, branch, fromSha: BASE }]];
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    steps.push([from, { type: 'agent-starting', task: id, attempt, sessionId: `s-${id}-${attempt}`, resume: false, agent: 'claude' }]);
  }
  steps.push([to, { type: 'task-finished', task: id, ...finished }]);
  return steps;
}

export function test(at: number, testId: string, tasks: string[], sha: string, result: { passed: boolean; seconds: number; exitCode?: number; outputTail?: string }): Step[] {
  return [
    [at - result.seconds, { type: 'test-started', testId, wave: 1, tasks, sha, command: 'npm test' }],
    [
      at,
      {
        type: 'test-finished',
        testId,
        wave: 1,
        tasks,
        sha,
        passed: result.passed,
        exitCode: result.exitCode ?? (result.passed ? 0 : 1),
        durationMs: result.seconds * 1000,
        outputTail: result.outputTail ?? '',
      },
    ],
  ];
}
