// Journal events for the UI tests: real events through the real schema and reducer, at fixed times.
import type { JournalEvent, NewJournalEvent } from '../../../src/journal/index.js';
import { journalOf, type TimedEvent } from '../../helpers/journal.js';

export { stateOf } from '../../helpers/journal.js';

export const DAY = '2026-11-23';
export const BASE = 'b0'.repeat(20);
export const sha = (prefix: string) => prefix.padEnd(40, '0');

/** "14:03:12" on the test day, UTC. */
export function iso(time: string): string {
  return `${DAY}T${time}.000Z`;
}

export function ms(time: string): number {
  return Date.parse(iso(time));
}

/** Stored events, numbered in order, each at its own "HH:MM:SS". */
export function journal(...entries: Array<[time: string, event: NewJournalEvent]>): JournalEvent[] {
  return journalOf(entries.map(([time, event]): TimedEvent => [new Date(iso(time)), event]));
}

export interface PlanTask {
  id: string;
  title: string;
}

export function runStarted(waves: PlanTask[][], planName = 'Demo'): NewJournalEvent {
  return {
    type: 'run-started',
    runId: 'r1',
    planFile: 'WAVES.md',
    planName,
    base: { branch: 'main', sha: BASE },
    integration: { branch: 'ccwave/r1/integration', worktree: '/repo/.git/ccwave/r1/integration' },
    settings: { concurrency: 3 },
    waves: waves.map((tasks, i) => ({
      index: i + 1,
      name: `Wave ${i + 1}`,
      tasks: tasks.map((t) => ({ ...t, promptPath: `feature-management/features/${t.id}/PROMPT.md` })),
    })),
  };
}

export const SLUGIFY = { id: 'feature-001-slugify', title: 'Slugify titles' };
export const WORDCOUNT = { id: 'feature-002-wordcount', title: 'Count words per file' };
export const TRUNCATE = { id: 'feature-003-truncate', title: 'Truncate long lines with an ellipsis at any width' };
export const JSON_EXPORT = { id: 'feature-004-json-export', title: 'Export as JSON' };
export const CSV = { id: 'feature-005-csv', title: 'Read CSV input' };
export const WORKTREES = { id: 'feature-006-worktree-aware', title: 'Worktree awareness' };

const worktree = (task: string): NewJournalEvent => ({
  type: 'worktree-created',
  task,
  path: `/repo/.git/ccwave/r1/wt/${task}`,
  branch: `ccwave/r1/${task}`,
  fromSha: BASE,
});
const start = (task: string, attempt = 1): NewJournalEvent => ({ type: 'agent-starting', task, attempt, sessionId: `s-${task}-${attempt}`, resume: false, agent: 'claude' });

/** Wave 1 of 2 in full swing: one task of each kind the table has to show. */
export function midWaveOne(): JournalEvent[] {
  return journal(
    ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT, TRUNCATE, JSON_EXPORT, CSV], [WORKTREES]])],
    ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
    ['14:03:02', worktree(SLUGIFY.id)],
    ['14:03:02', worktree(WORDCOUNT.id)],
    ['14:03:02', worktree(TRUNCATE.id)],
    ['14:03:02', worktree(JSON_EXPORT.id)],
    ['14:03:02', worktree(CSV.id)],
    ['14:03:05', start(CSV.id)],
    ['14:03:06', start(JSON_EXPORT.id)],
    ['14:03:09', { type: 'agent-state', task: JSON_EXPORT.id, state: 'working' }],
    ['14:10:00', { type: 'task-finished', task: CSV.id, status: 'done', tipSha: sha('c5c5c5c'), commits: 3 }],
    ['14:10:01', { type: 'merge-intent', task: CSV.id, tip: sha('c5c5c5c'), into: BASE }],
    ['14:10:03', { type: 'merge-done', task: CSV.id, tip: sha('c5c5c5c'), result: 'merged', mergeSha: sha('a1b2c3d'), integrationSha: sha('a1b2c3d') }],
    ['14:10:04', start(SLUGIFY.id)],
    ['14:10:06', { type: 'agent-state', task: SLUGIFY.id, state: 'working' }],
    ['14:13:06', { type: 'task-finished', task: JSON_EXPORT.id, status: 'timeout', reason: 'idle timeout (10m)', commits: 0 }],
    ['14:13:07', start(WORDCOUNT.id)],
    ['14:14:00', { type: 'agent-state', task: WORDCOUNT.id, state: 'waiting', reason: 'permission' }],
    ['14:20:00', start(TRUNCATE.id)],
    ['14:21:00', { type: 'agent-state', task: TRUNCATE.id, state: 'paused', reason: 'usage limit', until: iso('15:00:00') }],
  );
}

/** Wave 1 merged, tested, written up and finished; wave 2's only task is working. */
export function waveOneFinished(): JournalEvent[] {
  return journal(
    ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT, JSON_EXPORT], [WORKTREES]])],
    ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
    ['14:03:05', start(SLUGIFY.id)],
    ['14:03:06', start(WORDCOUNT.id)],
    ['14:03:07', start(JSON_EXPORT.id)],
    ['14:15:05', { type: 'task-finished', task: SLUGIFY.id, status: 'done', tipSha: sha('5151515'), commits: 2 }],
    ['14:18:06', { type: 'task-finished', task: WORDCOUNT.id, status: 'done', tipSha: sha('2222222'), commits: 1 }],
    ['14:20:07', { type: 'task-finished', task: JSON_EXPORT.id, status: 'failed', reason: 'agent exited with code 1', commits: 0 }],
    ['14:20:10', { type: 'merge-intent', task: SLUGIFY.id, tip: sha('5151515'), into: BASE }],
    ['14:20:12', { type: 'merge-done', task: SLUGIFY.id, tip: sha('5151515'), result: 'merged', mergeSha: sha('a1b2c3d'), integrationSha: sha('a1b2c3d') }],
    ['14:20:13', { type: 'merge-intent', task: WORDCOUNT.id, tip: sha('2222222'), into: sha('a1b2c3d') }],
    ['14:20:15', { type: 'merge-done', task: WORDCOUNT.id, tip: sha('2222222'), result: 'merged', mergeSha: sha('d4e5f60'), integrationSha: sha('d4e5f60') }],
    ['14:20:16', { type: 'test-started', testId: 't1', wave: 1, tasks: [SLUGIFY.id, WORDCOUNT.id], sha: sha('d4e5f60'), command: 'npm test' }],
    ['14:20:54', { type: 'test-finished', testId: 't1', wave: 1, tasks: [SLUGIFY.id, WORDCOUNT.id], sha: sha('d4e5f60'), passed: true, exitCode: 0, durationMs: 38_000, outputTail: 'ok' }],
    ['14:21:00', { type: 'retro-written', wave: 1, path: 'waves/retro-wave-1.md', sha: sha('e7e7e7e') }],
    ['14:28:11', { type: 'wave-finished', wave: 1, integrationSha: sha('e7e7e7e') }],
    ['14:28:12', { type: 'wave-started', wave: 2, fromSha: sha('e7e7e7e') }],
    ['14:28:15', start(WORKTREES.id)],
    ['14:28:20', { type: 'agent-state', task: WORKTREES.id, state: 'working' }],
  );
}
