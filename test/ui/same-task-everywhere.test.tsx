// One journal, read through every view of a run: `ccwave status`, the TUI, the plain log and the
// end-of-run summary must say the same thing about each task: its icon, its words, its time.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { NewJournalEvent } from '../../src/journal/index.js';
import { formatStatus } from '../../src/ui/status-text.js';
import { PlainReporter } from '../../src/ui/plain-reporter.js';
import { formatSummary } from '../../src/ui/summary.js';
import { SPINNER_FRAMES } from '../../src/ui/tui/spinner.js';
import { TASK_ICONS } from '../../src/ui/format/task-status.js';
import { BASE, CSV, JSON_EXPORT, SLUGIFY, TRUNCATE, WORDCOUNT, WORKTREES, iso, journal, runStarted, sha, stateOf } from './helpers/journal.js';
import { report } from './helpers/plain-log.js';
import { NOW, renderApp, viewOf } from './helpers/tui.js';

afterEach(() => cleanup());

const PERMISSION = { id: 'feature-007-permissions', title: 'Ask before deleting' };
const LIMITS = { id: 'feature-008-limits', title: 'Size limits' };
const QUEUED = { id: 'feature-009-queued', title: 'Waits for an agent slot' };
const BUDGET = { id: 'feature-010-budget', title: 'Spends its budget' };
const IDLE = { id: 'feature-011-idle', title: 'Idle after a turn' };

const start = (task: string): NewJournalEvent => ({ type: 'agent-starting', task, attempt: 1, sessionId: `s-${task}`, resume: false, agent: 'claude' });
const used = (task: string, input: number, output: number, costUsd: number): NewJournalEvent => ({
  type: 'agent-usage',
  task,
  attempt: 1,
  sessionId: `s-${task}`,
  usage: { tokens: { input, output, cacheCreation: 0, cacheRead: 0 }, costUsd },
});

/** A wave with a task in every state a reader meets, built from real events; the clock reads 14:30:00. */
const events = journal(
  ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT, TRUNCATE, JSON_EXPORT, CSV, WORKTREES, PERMISSION, LIMITS, QUEUED, BUDGET, IDLE]], 'Textkit')],
  ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
  ['14:03:02', { type: 'worktree-created', task: QUEUED.id, path: `/wt/${QUEUED.id}`, branch: `ccwave/r1/${QUEUED.id}`, fromSha: BASE }],
  ['14:03:05', start(SLUGIFY.id)],
  ['14:03:06', start(WORDCOUNT.id)],
  ['14:03:07', start(TRUNCATE.id)],
  ['14:03:08', start(JSON_EXPORT.id)],
  ['14:03:09', { type: 'agent-state', task: SLUGIFY.id, state: 'working' }],
  ['14:09:30', used(SLUGIFY.id, 30_000, 4_210, 0.42)],
  ['14:10:00', { type: 'task-finished', task: SLUGIFY.id, status: 'done', tipSha: sha('5151515'), commits: 3 }],
  ['14:10:01', { type: 'merge-intent', task: SLUGIFY.id, tip: sha('5151515'), into: BASE }],
  ['14:10:03', { type: 'merge-done', task: SLUGIFY.id, tip: sha('5151515'), result: 'merged', mergeSha: sha('a1b2c3d'), integrationSha: sha('a1b2c3d') }],
  ['14:12:08', { type: 'task-finished', task: WORDCOUNT.id, status: 'failed', reason: 'agent exited with code 1', commits: 0 }],
  ['14:12:09', { type: 'task-finished', task: CSV.id, status: 'skipped', reason: 'the run stopped', commits: 0 }],
  ['14:13:07', { type: 'task-finished', task: TRUNCATE.id, status: 'timeout', reason: 'idle timeout (10m)', commits: 0 }],
  ['14:15:00', start(WORKTREES.id)],
  ['14:15:02', { type: 'agent-state', task: WORKTREES.id, state: 'working' }],
  ['14:15:10', { type: 'task-finished', task: JSON_EXPORT.id, status: 'done', tipSha: sha('4444444'), commits: 1 }],
  ['14:15:11', { type: 'merge-intent', task: JSON_EXPORT.id, tip: sha('4444444'), into: sha('a1b2c3d') }],
  ['14:15:12', { type: 'merge-skipped', task: JSON_EXPORT.id, tip: sha('4444444'), result: 'conflict', conflictedPaths: ['src/export.ts'] }],
  ['14:16:00', start(PERMISSION.id)],
  ['14:17:00', { type: 'agent-state', task: PERMISSION.id, state: 'waiting', reason: 'permission' }],
  ['14:17:30', start(BUDGET.id)],
  ['14:18:00', start(LIMITS.id)],
  ['14:18:30', start(IDLE.id)],
  ['14:19:00', used(BUDGET.id, 1_000_000, 250_000, 5.12)],
  ['14:19:30', { type: 'agent-state', task: IDLE.id, state: 'idle' }],
  ['14:20:30', { type: 'task-finished', task: BUDGET.id, status: 'over-budget', reason: '$5.12 of $5', commits: 1, tipSha: sha('b0d6e70') }],
  ['14:21:00', { type: 'agent-state', task: LIMITS.id, state: 'paused', reason: 'usage limit', until: iso('15:00:00') }],
);

/** What every view must say about each task at 14:30:00. */
const EXPECTED: Array<{ id: string; icon: string; words: string; time?: string; busy?: boolean; queued?: boolean }> = [
  { id: SLUGIFY.id, icon: '●', words: 'merged', time: '6m55s' },
  { id: WORDCOUNT.id, icon: '✗', words: 'failed: agent exited with code 1', time: '9m02s' },
  { id: TRUNCATE.id, icon: '◷', words: 'failed: idle timeout (10m)', time: '10m00s' },
  { id: JSON_EXPORT.id, icon: '≠', words: 'conflict: src/export.ts', time: '12m02s' },
  { id: CSV.id, icon: '↷', words: 'skipped: the run stopped' },
  { id: WORKTREES.id, icon: '▸', words: 'working', time: '15m00s', busy: true },
  { id: PERMISSION.id, icon: '!', words: 'waiting: permission', time: '14m00s' },
  { id: LIMITS.id, icon: '‖', words: 'paused until 15:00 (usage limit)', time: '12m00s' },
  // Its worktree is ready and it waits for a free agent slot: no spinner, nothing is happening yet.
  { id: QUEUED.id, icon: '…', words: 'queued', queued: true },
  { id: BUDGET.id, icon: '$', words: 'over budget: $5.12 of $5', time: '3m00s' },
  { id: IDLE.id, icon: '◦', words: 'idle', time: '11m30s' },
];

const STILL_RUNNING = 'still running: ';
const QUEUED_FOR = 'queued for an agent slot: ';
const LIVE = { kind: 'live' as const, pid: 1, hostname: 'h', command: 'ccwave run', since: iso('14:03:00'), certain: true };

/** The first line of `text` that names the task. */
function rowOf(text: string, id: string, where: string): string {
  const row = text.split('\n').find((line) => new RegExp(`(^|\\s)${id}(\\s|$)`).test(line));
  if (row === undefined) throw new Error(`${where}: no row for ${id} in:\n${text}`);
  return row;
}

async function views(): Promise<Record<string, (id: string) => string>> {
  const state = stateOf(events);
  const status = formatStatus({ state, activity: LIVE, warnings: [], now: new Date(NOW), timeZone: 'UTC' });
  const tui = (await renderApp(viewOf(state), { columns: 200, rows: 60 })).lastFrame();
  let plain = '';
  let clock = events[0]?.at ?? '';
  const reporter = new PlainReporter({ write: (text) => (plain += text), timeZone: 'UTC', now: () => new Date(clock) });
  report(reporter, events);
  clock = new Date(NOW).toISOString();
  reporter.heartbeat();
  const summary = formatSummary(state, { logsDir: 'logs' }, undefined, { nowMs: NOW, timeZone: 'UTC' });
  const plainLines = plain.split('\n');
  return {
    status: (id) => rowOf(status, id, 'status'),
    tui: (id) => rowOf(tui, id, 'tui'),
    // The log's last line about the task; its time is where the task finished, or in what the
    // heartbeat says of a task still at work.
    plain: (id) => {
      const about = plainLines.filter((line) => line.includes(`${id}  `) || line.includes(`merge ${id} `));
      const finished = about.find((line) => / in \d/.test(line));
      const heartbeat = plainLines.find((line) => line.includes(STILL_RUNNING));
      const still = heartbeat
        ?.slice(heartbeat.indexOf(STILL_RUNNING) + STILL_RUNNING.length)
        .split('; ')[0]!
        .split(', ')
        .find((part) => part.startsWith(`${id} `));
      // A task waiting for a slot has no line of its own: the heartbeat names it apart from those at work.
      const waiting = heartbeat?.slice(heartbeat.indexOf(QUEUED_FOR) + QUEUED_FOR.length).split(', ');
      if (heartbeat?.includes(QUEUED_FOR) && waiting?.includes(id)) return `${TASK_ICONS.queued} queued (${heartbeat})`;
      return [about.at(-1) ?? '', finished ?? '', still ?? ''].join(' | ');
    },
    summary: (id) => rowOf(summary, id, 'summary'),
  };
}

describe('the same task looks the same everywhere', () => {
  it.each(EXPECTED)('$id: $icon $words', async ({ id, icon, words, time, busy, queued }) => {
    const seen = await views();
    for (const [where, row] of Object.entries(seen)) {
      const line = row(id);
      if (queued && where === 'plain') {
        expect(line, 'plain: the heartbeat names it queued, not running').not.toContain(`${STILL_RUNNING}${id}`);
      }
      // The TUI spins instead of a fixed icon while something happens right now.
      const shownIcon = busy && where === 'tui' ? `[${SPINNER_FRAMES.join('')}]` : escape(icon);
      expect(line, `${where} icon`).toMatch(new RegExp(`(^|\\s)${shownIcon}\\s`));
      expect(line, `${where} words`).toContain(words);
      if (time) expect(line, `${where} time`).toMatch(new RegExp(`(^|\\s|\\()${time}(\\s|\\)|$)`));
    }
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
