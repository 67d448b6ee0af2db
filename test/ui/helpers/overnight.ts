// A night's run in journal events: retries, a permission prompt, a usage-limit pause, a timeout,
// a conflict, a failed test run and a finished plan.
import type { JournalEvent, NewJournalEvent } from '../../../src/journal/index.js';
import { BASE, CSV, iso, journal, runStarted, sha, SLUGIFY, TRUNCATE, WORDCOUNT } from './journal.js';

const wt = (task: string): NewJournalEvent => ({ type: 'worktree-created', task, path: `/repo/.git/ccwave/r1/wt/${task}`, branch: `ccwave/r1/${task}`, fromSha: BASE });
const start = (task: string, attempt = 1, resume = false): NewJournalEvent => ({ type: 'agent-starting', task, attempt, sessionId: `s-${task}`, resume, agent: 'claude' });
const state = (task: string, s: 'working' | 'idle' | 'waiting' | 'paused', extra: { reason?: string; until?: string } = {}): NewJournalEvent => ({ type: 'agent-state', task, state: s, ...extra });

export function overnight(): JournalEvent[] {
  return journal(
    ['22:00:00', runStarted([[SLUGIFY, WORDCOUNT, TRUNCATE], [CSV]], 'Textkit')],
    ['22:00:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
    ['22:00:02', { type: 'worktree-intent', task: SLUGIFY.id, path: `/repo/.git/ccwave/r1/wt/${SLUGIFY.id}`, branch: `ccwave/r1/${SLUGIFY.id}`, fromSha: BASE }],
    ['22:00:02', wt(SLUGIFY.id)],
    ['22:00:02', wt(WORDCOUNT.id)],
    ['22:00:02', wt(TRUNCATE.id)],
    ['22:00:03', { type: 'setup-started', task: SLUGIFY.id, command: 'npm ci' }],
    ['22:00:20', { type: 'setup-finished', task: SLUGIFY.id, ok: true, exitCode: 0, durationMs: 17_000, outputTail: 'added 120 packages' }],
    ['22:00:21', start(SLUGIFY.id)],
    ['22:00:22', start(WORDCOUNT.id)],
    ['22:00:25', state(SLUGIFY.id, 'working')],
    ['22:00:26', state(WORDCOUNT.id, 'working')],
    // Turn-by-turn flips within five minutes of the last logged state: not logged.
    ['22:01:00', state(SLUGIFY.id, 'idle')],
    ['22:01:05', state(SLUGIFY.id, 'working')],
    ['22:01:05', state(SLUGIFY.id, 'working')],
    ['22:02:00', state(WORDCOUNT.id, 'waiting', { reason: 'permission' })],
    ['22:02:30', state(WORDCOUNT.id, 'working')],
    ['22:09:00', state(SLUGIFY.id, 'idle')],
    ['22:09:31', { type: 'task-finished', task: SLUGIFY.id, status: 'done', tipSha: sha('5151515'), commits: 3 }],
    ['22:09:32', start(TRUNCATE.id)],
    ['22:09:45', start(TRUNCATE.id, 2)],
    ['22:10:00', state(TRUNCATE.id, 'working')],
    ['22:12:00', state(TRUNCATE.id, 'paused', { reason: 'usage limit', until: iso('23:00:00') })],
    ['22:40:00', { type: 'task-finished', task: WORDCOUNT.id, status: 'timeout', reason: 'idle timeout (10m)', tipSha: sha('2222222'), commits: 2 }],
    ['23:00:05', state(TRUNCATE.id, 'working')],
    ['23:20:00', { type: 'task-finished', task: TRUNCATE.id, status: 'done', tipSha: sha('3333333'), commits: 1 }],
    ['23:20:01', { type: 'merge-intent', task: SLUGIFY.id, tip: sha('5151515'), into: BASE }],
    ['23:20:02', { type: 'merge-done', task: SLUGIFY.id, tip: sha('5151515'), result: 'merged', mergeSha: sha('a1b2c3d'), integrationSha: sha('a1b2c3d') }],
    ['23:20:03', { type: 'merge-intent', task: TRUNCATE.id, tip: sha('3333333'), into: sha('a1b2c3d') }],
    ['23:20:04', { type: 'merge-skipped', task: TRUNCATE.id, tip: sha('3333333'), result: 'conflict', conflictedPaths: ['src/truncate.ts', 'src/index.ts'] }],
    ['23:20:05', { type: 'test-started', testId: 't1', wave: 1, tasks: [SLUGIFY.id], sha: sha('a1b2c3d'), command: 'npm test' }],
    ['23:20:43', { type: 'test-finished', testId: 't1', wave: 1, tasks: [SLUGIFY.id], sha: sha('a1b2c3d'), passed: true, exitCode: 0, durationMs: 38_000, outputTail: '38 passed' }],
    ['23:21:00', { type: 'retro-written', wave: 1, path: 'waves/retro-wave-1.md', sha: sha('e1e1e1e') }],
    ['23:21:01', { type: 'wave-finished', wave: 1, integrationSha: sha('e1e1e1e') }],
    ['23:21:02', { type: 'wave-started', wave: 2, fromSha: sha('e1e1e1e') }],
    ['23:21:03', wt(CSV.id)],
    ['23:21:04', start(CSV.id)],
    ['23:21:08', state(CSV.id, 'working')],
    ['23:40:00', { type: 'task-finished', task: CSV.id, status: 'done', tipSha: sha('c5c5c5c'), commits: 4 }],
    ['23:40:01', { type: 'merge-intent', task: CSV.id, tip: sha('c5c5c5c'), into: sha('e1e1e1e') }],
    ['23:40:03', { type: 'test-started', testId: 't2', wave: 2, tasks: [CSV.id], sha: sha('f0f0f0f'), command: 'npm test' }],
    [
      '23:41:00',
      {
        type: 'test-finished',
        testId: 't2',
        wave: 2,
        tasks: [CSV.id],
        sha: sha('f0f0f0f'),
        passed: false,
        exitCode: 1,
        durationMs: 57_000,
        outputTail: '\u001b[31mFAIL\u001b[39m test/csv.test.ts\n  expected 3 rows, got 2\n\n1 failed, 38 passed\n',
      },
    ],
    ['23:41:01', { type: 'merge-skipped', task: CSV.id, tip: sha('c5c5c5c'), result: 'tests-failed', reason: 'the tests failed with this branch merged' }],
    ['23:41:30', { type: 'retro-written', wave: 2, path: 'waves/retro-wave-2.md', sha: sha('e2e2e2e') }],
    ['23:41:31', { type: 'wave-finished', wave: 2, integrationSha: sha('e2e2e2e') }],
    ['23:41:32', { type: 'repair', action: 'pruned-worktree', task: WORDCOUNT.id, detail: 'worktree kept: branch has 2 unmerged commits' }],
    ['23:41:33', { type: 'run-finished', exitCode: 1 }],
  );
}
