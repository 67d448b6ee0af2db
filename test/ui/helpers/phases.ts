// Runs caught in each phase the TUI header names, built from journal events as the runner writes them.
import { reduce, type JournalEvent, type NewJournalEvent, type RunState } from '../../../src/journal/index.js';
import { BASE, iso, journal, runStarted, sha, stateOf, TRUNCATE, WORDCOUNT, WORKTREES, type PlanTask } from './journal.js';

/** `events` folded into `state`, each at `time`. */
export function after(state: RunState, time: string, ...events: NewJournalEvent[]): RunState {
  return journal(...events.map((event): [string, NewJournalEvent] => [time, event])).reduce((acc: RunState, event: JournalEvent) => reduce(acc, event), state);
}

/** midWaveOne with all but one of its agents finished: one agent still at work. */
export function oneAgentLeft(state: RunState): RunState {
  return after(
    state,
    '14:29:00',
    { type: 'task-finished', task: WORDCOUNT.id, status: 'done', tipSha: sha('2222222'), commits: 1 },
    { type: 'task-finished', task: TRUNCATE.id, status: 'done', tipSha: sha('3333333'), commits: 1 },
  );
}

const start = (task: string): NewJournalEvent => ({ type: 'agent-starting', task, attempt: 1, sessionId: `s-${task}`, resume: false, agent: 'claude' });
const done = (task: string, tip: string): NewJournalEvent => ({ type: 'task-finished', task, status: 'done', tipSha: sha(tip), commits: 1 });
const feature = (n: number) => ({ id: `feature-00${n}`, title: `Feature ${n}` });

/**
 * Wave 1's merge queue at the third of its five merges, while one more agent (retried by a person
 * before the queue began) waits for the usage limit to reset at 15:00.
 */
export function mergingThirdOfFive(): RunState {
  const [one, two, three, four, five, six] = [1, 2, 3, 4, 5, 6].map(feature) as [PlanTask, PlanTask, PlanTask, PlanTask, PlanTask, PlanTask];
  return stateOf(
    journal(
      ['14:03:00', runStarted([[one, two, three, four, five, six], [WORKTREES]])],
      ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ...[one, two, three, four, five, six].map((task): [string, NewJournalEvent] => ['14:03:05', start(task.id)]),
      ...[one, two, three, four, five].map((task, i): [string, NewJournalEvent] => ['14:20:00', done(task.id, `${i + 1}${i + 1}`)]),
      ['14:21:00', { type: 'merge-intent', task: one.id, tip: sha('11'), into: BASE }],
      ['14:21:01', { type: 'merge-done', task: one.id, tip: sha('11'), result: 'merged', mergeSha: sha('a1'), integrationSha: sha('a1') }],
      ['14:21:02', { type: 'merge-intent', task: three.id, tip: sha('33'), into: sha('a1') }],
      ['14:21:03', { type: 'merge-done', task: three.id, tip: sha('33'), result: 'merged', mergeSha: sha('a2'), integrationSha: sha('a2') }],
      ['14:21:07', { type: 'agent-state', task: six.id, state: 'paused', reason: 'usage limit', until: iso('15:00:00') }],
      ['14:21:08', { type: 'merge-intent', task: two.id, tip: sha('22'), into: sha('a2') }],
    ),
  );
}

/** A test of 4f2a1c9 in its second run, during midWaveOne. */
export function testingSecondRun(state: RunState): RunState {
  return after(state, '14:29:30', { type: 'test-started', testId: 't9', wave: 1, tasks: [], sha: sha('4f2a1c9'), command: 'npm test', attempt: 2 });
}
