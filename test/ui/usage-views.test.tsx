// What agents used, read through every view of a run: the same figures in `ccwave status`, its
// JSON, the TUI and the end-of-run summary; nothing about usage when no agent reported any.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { JournalEvent, NewJournalEvent } from '../../src/journal/index.js';
import { statusJson } from '../../src/journal/status-json.js';
import { formatStatus } from '../../src/ui/status-text.js';
import { formatSummary } from '../../src/ui/summary.js';
import { PlainReporter } from '../../src/ui/plain-reporter.js';
import { report } from './helpers/plain-log.js';
import { BASE, CSV, SLUGIFY, WORDCOUNT, iso, journal, runStarted, sha, stateOf } from './helpers/journal.js';
import { lineWith, NOW, renderApp, viewOf } from './helpers/tui.js';

afterEach(() => cleanup());

const LIVE = { kind: 'live' as const, pid: 1, hostname: 'h', command: 'ccwave run', since: iso('14:03:00'), certain: true };

const start = (task: string, attempt = 1, agent = 'claude'): NewJournalEvent => ({ type: 'agent-starting', task, attempt, sessionId: `s-${task}`, resume: attempt > 1, agent });
const used = (task: string, attempt: number, tokens: [number, number, number, number], costUsd: number, extra: Partial<NewJournalEvent> = {}): NewJournalEvent =>
  ({
    type: 'agent-usage',
    task,
    attempt,
    sessionId: `s-${task}`,
    usage: { tokens: { input: tokens[0], output: tokens[1], cacheCreation: tokens[2], cacheRead: tokens[3] }, costUsd },
    ...extra,
  }) as NewJournalEvent;

/**
 * SLUGIFY merged after two attempts (12k + 22.2k tokens); WORDCOUNT is at work with 1.2M; CSV
 * waits for a slot and has used nothing. The five-hour window is at 42 % and the run holds launches.
 */
function withUsage(): JournalEvent[] {
  return journal(
    ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT, CSV]])],
    ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
    ['14:03:05', start(SLUGIFY.id)],
    ['14:03:06', start(WORDCOUNT.id)],
    ['14:05:00', used(SLUGIFY.id, 1, [10_000, 2_000, 0, 0], 0.1, { model: 'claude-sonnet-4-5' })],
    ['14:06:00', start(SLUGIFY.id, 2)],
    // The session's totals: the second attempt added 20k input, 2.2k output and $0.32.
    ['14:09:00', used(SLUGIFY.id, 2, [30_000, 4_200, 0, 0], 0.42)],
    ['14:10:00', { type: 'task-finished', task: SLUGIFY.id, status: 'done', tipSha: sha('5151515'), commits: 3 }],
    ['14:10:01', { type: 'merge-intent', task: SLUGIFY.id, tip: sha('5151515'), into: BASE }],
    ['14:10:03', { type: 'merge-done', task: SLUGIFY.id, tip: sha('5151515'), result: 'merged', mergeSha: sha('a1b2c3d'), integrationSha: sha('a1b2c3d') }],
    ['14:12:00', { type: 'worktree-created', task: CSV.id, path: `/wt/${CSV.id}`, branch: `ccwave/r1/${CSV.id}`, fromSha: BASE }],
    [
      '14:20:00',
      used(WORDCOUNT.id, 1, [200_000, 50_000, 150_000, 800_000], 3.5, {
        rateLimits: { fiveHour: { usedPercentage: 42.4, resetsAt: iso('18:00:00') }, sevenDay: { usedPercentage: 12, resetsAt: '2026-11-27T09:00:00.000Z' } },
      }),
    ],
    ['14:21:00', { type: 'limit-pause', until: iso('18:00:00'), usedPercentage: 96, threshold: 95 }],
  );
}

function statusOf(events: JournalEvent[]): string {
  return formatStatus({ state: stateOf(events), activity: LIVE, warnings: [], now: new Date(NOW), timeZone: 'UTC' });
}

function summaryOf(events: JournalEvent[]): string {
  return formatSummary(stateOf(events), { logsDir: 'logs' }, undefined, { nowMs: NOW, timeZone: 'UTC' });
}

async function tuiOf(events: JournalEvent[], columns = 120): Promise<string> {
  return (await renderApp(viewOf(stateOf(events)), { columns, rows: 30 })).lastFrame();
}

describe('usage in every view', () => {
  it('gives each task the same tokens and dollar estimate in status, the TUI and the summary', async () => {
    const events = withUsage();
    const views = { status: statusOf(events), tui: await tuiOf(events), summary: summaryOf(events) };
    for (const [where, text] of Object.entries(views)) {
      expect(lineWith(text, SLUGIFY.id), where).toMatch(/(^|\s)34\.2k\s.*~\$0\.42/);
      expect(lineWith(text, WORDCOUNT.id), where).toMatch(/(^|\s)1\.2M\s.*~\$3\.50/);
      expect(lineWith(text, CSV.id), where).not.toContain('~$');
    }
  });

  it('says the run total is an estimate, and shows the five-hour window and the launch hold', async () => {
    const events = withUsage();
    const status = statusOf(events);
    expect(status).toContain("Usage:       1.23M tokens, ~$3.92 estimated (Claude Code's estimate at list prices)");
    expect(status).toContain('Limits:      five-hour window 42% (resets 18:00)');
    expect(status).toContain('Holding:     five-hour window at 96% (threshold 95%): no new agents until 18:00');
    expect(status).toMatch(/^Wave 1 .*· 1\.23M tokens, ~\$3\.92 estimated/m);
    const tui = await tuiOf(events);
    expect(lineWith(tui, 'agents')).toMatch(/^1 running · 1 merged · 1 queued\s+agents 1\/3$/);
    expect(tui).toContain('\nusage 1.23M tokens, ~$3.92 estimated · five-hour window 42% (resets 18:00)\n');
    expect(tui).toContain('‖ five-hour window at 96% (threshold 95%): no new agents until 18:00');
    expect(lineWith(tui, 'TOKENS')).toMatch(/TOKENS\s+EST\. \$$/);
    const summary = summaryOf(events);
    expect(lineWith(summary, 'TASK')).toMatch(/TOKENS\s+EST\. \$\s+STATUS$/);
    expect(summary).toContain("Usage: 1.23M tokens, ~$3.92 estimated (Claude Code's estimate at list prices)");
    expect(summary).toContain('Limits: five-hour window 42% (resets 18:00)');
  });

  it('never shows a Codex task, which reports no cost, as $0: tokens, and the cost unknown', async () => {
    const unknown = { usage: { tokens: { input: 9_000, output: 1_000, cacheCreation: 0, cacheRead: 0 }, costUsd: 0, costUnknown: true } } as Partial<NewJournalEvent>;
    const events = journal(
      ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT]])],
      ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ['14:03:05', start(SLUGIFY.id)],
      ['14:03:06', start(WORDCOUNT.id, 1, 'codex')],
      ['14:05:00', used(SLUGIFY.id, 1, [10_000, 2_000, 0, 0], 0.42)],
      ['14:06:00', used(WORDCOUNT.id, 1, [0, 0, 0, 0], 0, unknown)],
    );
    const views = { status: statusOf(events), tui: await tuiOf(events), summary: summaryOf(events) };
    for (const [where, text] of Object.entries(views)) {
      expect(lineWith(text, WORDCOUNT.id), where).toMatch(/(^|\s)10k\s/);
      expect(lineWith(text, WORDCOUNT.id), where).not.toContain('$');
      expect(lineWith(text, SLUGIFY.id), where).toMatch(/~\$0\.42/);
    }
    expect(views.status).toContain('Usage:       22k tokens, ~$0.42+ estimated (Codex reports no cost)');
    const json = statusJson({ state: stateOf(events), activity: LIVE, warnings: [] }).run!;
    expect(json.tasks.find((task) => task.id === WORDCOUNT.id)?.usage?.total).toMatchObject({ costUsd: 0, costUnknown: true });
  });

  it('says in the plain log what a task used where it ends, and the launch hold', () => {
    let log = '';
    report(new PlainReporter({ write: (text) => (log += text), timeZone: 'UTC', now: () => new Date(NOW) }), withUsage());
    expect(log).toContain(`${SLUGIFY.id}  ✓ done: 3 commits in 6m55s · 34.2k tokens, ~$0.42 estimated`);
    expect(log).toContain('five-hour window at 96% (threshold 95%): no new agents until 18:00');
    expect(log.match(/tokens/g)).toHaveLength(1);
  });

  it('keeps the token count and drops the dollar estimate first in a narrow terminal', async () => {
    const frame = await tuiOf(withUsage(), 80);
    expect(lineWith(frame, SLUGIFY.id)).toMatch(/34\.2k$/);
    expect(frame).not.toContain('EST. $');
    for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('adds usage to status --json: per task and attempt, per wave, for the run, and the windows', () => {
    const json = statusJson({ state: stateOf(withUsage()), activity: LIVE, warnings: [] });
    const run = json.run!;
    const slugify = run.tasks.find((task) => task.id === SLUGIFY.id)!;
    expect(slugify.usage).toEqual({
      total: { tokens: { input: 30_000, output: 4_200, cacheCreation: 0, cacheRead: 0, total: 34_200 }, costUsd: 0.42 },
      byAttempt: {
        '1': { tokens: { input: 10_000, output: 2_000, cacheCreation: 0, cacheRead: 0, total: 12_000 }, costUsd: 0.1 },
        '2': { tokens: { input: 20_000, output: 2_200, cacheCreation: 0, cacheRead: 0, total: 22_200 }, costUsd: 0.32 },
      },
      model: 'claude-sonnet-4-5',
    });
    expect(run.tasks.find((task) => task.id === CSV.id)!.usage).toBeNull();
    expect(run.waves[0]!.usage?.tokens.total).toBe(1_234_200);
    expect(run.usage?.tokens.total).toBe(1_234_200);
    expect(run.usage?.costUsd).toBe(3.92);
    expect(run.rateLimits).toEqual({
      fiveHour: { usedPercentage: 42.4, resetsAt: iso('18:00:00') },
      sevenDay: { usedPercentage: 12, resetsAt: '2026-11-27T09:00:00.000Z' },
      at: iso('14:20:00'),
    });
    expect(run.limitPause).toEqual({ until: iso('18:00:00'), usedPercentage: 96, threshold: 95, at: iso('14:21:00') });
  });

  it('shows no usage at all when no agent reported any (plain commands)', async () => {
    const events = journal(
      ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT]])],
      ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ['14:03:05', start(SLUGIFY.id, 1, 'command')],
      ['14:04:00', { type: 'task-finished', task: SLUGIFY.id, status: 'done', tipSha: sha('5151515'), commits: 1 }],
      ['14:04:05', start(WORDCOUNT.id, 1, 'command')],
    );
    for (const text of [statusOf(events), await tuiOf(events), summaryOf(events)]) {
      expect(text).not.toMatch(/tokens|TOKENS|EST\. \$|~\$|five-hour/);
    }
    const json = statusJson({ state: stateOf(events), activity: LIVE, warnings: [] }).run!;
    expect([json.usage, json.rateLimits, json.limitPause, json.waves[0]!.usage, json.tasks[0]!.usage]).toEqual([null, null, null, null, null]);
  });

  it('drops a five-hour window that has reset since it was reported', async () => {
    const events = withUsage().map((event) => (event.type === 'agent-usage' && event.rateLimits ? { ...event, rateLimits: { fiveHour: { usedPercentage: 99, resetsAt: iso('14:25:00') } } } : event));
    expect(statusOf(events)).not.toContain('Limits:');
    expect(await tuiOf(events)).not.toContain('five-hour window 99%');
  });
});

describe('TUI rows', () => {
  it('shows the activity line under a working agent, and not under one that went idle', async () => {
    const events = journal(
      ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT]])],
      ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ['14:03:05', start(SLUGIFY.id)],
      ['14:03:06', start(WORDCOUNT.id)],
      ['14:03:07', { type: 'agent-state', task: SLUGIFY.id, state: 'working' }],
      ['14:20:00', { type: 'agent-state', task: WORDCOUNT.id, state: 'idle' }],
    );
    const live = { [SLUGIFY.id]: { lastLine: 'Running npm test…' }, [WORDCOUNT.id]: { lastLine: 'Baking… (12s)' } };
    const frame = (await renderApp(viewOf(stateOf(events), { live }), { columns: 120, rows: 30 })).lastFrame();
    expect(frame).toContain('╰ Running npm test…');
    expect(frame).not.toContain('Baking');
  });

  it('says a task waiting for a free agent slot is queued, without a spinner', async () => {
    const events = journal(
      ['14:03:00', runStarted([[SLUGIFY, WORDCOUNT]])],
      ['14:03:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ['14:03:02', { type: 'worktree-created', task: SLUGIFY.id, path: `/wt/${SLUGIFY.id}`, branch: `ccwave/r1/${SLUGIFY.id}`, fromSha: BASE }],
      ['14:03:02', { type: 'worktree-created', task: WORDCOUNT.id, path: `/wt/${WORDCOUNT.id}`, branch: `ccwave/r1/${WORDCOUNT.id}`, fromSha: BASE }],
      ['14:03:05', { type: 'setup-started', task: SLUGIFY.id, command: 'npm ci' }],
    );
    const frame = await tuiOf(events);
    expect(lineWith(frame, WORDCOUNT.id)).toMatch(/ … feature-002-wordcount\s+Count words per file\s+queued/);
    expect(lineWith(frame, SLUGIFY.id)).toMatch(/setup/);
    expect(lineWith(frame, 'agents')).toMatch(/^1 running · 1 queued\s/);
  });
});
