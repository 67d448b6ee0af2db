import { describe, expect, it } from 'vitest';
import { JOURNAL_EVENT_TYPES, type NewJournalEvent } from '../../src/journal/index.js';
import { reduce } from '../../src/journal/reduce.js';
import { initialRunState } from '../../src/journal/run-state.js';
import { notificationFor } from '../../src/run/notify-message.js';
import { journalFrom, runStartedEvent } from '../helpers/journal.js';
import { RUN } from './notify-journal.js';

/** Each event of RUN with the notification it calls for (given the state after it), if any. */
function notifications(events: NewJournalEvent[]): [string, string | undefined, string | undefined][] {
  let state = initialRunState();
  return journalFrom(events).map((event) => {
    state = reduce(state, event);
    const n = notificationFor(event, state);
    return [event.type, n?.event, n?.text];
  });
}

describe('which journal events become notifications', () => {
  it('the table below holds every kind of journal event', () => {
    expect(new Set(RUN.map((e) => e.type))).toEqual(new Set(JOURNAL_EVENT_TYPES));
  });

  it('maps each event, with the state after it, to at most one notification', () => {
    const sent = notifications(RUN).filter(([, kind]) => kind !== undefined);
    expect(sent).toEqual([
      ['agent-action', 'task-waiting', 'ccwave Night plan: ok is waiting for a person: Bash(rm -rf build) ‹!channel›'],
      ['agent-action', 'usage-paused', 'ccwave Night plan: usage limit reached (ok): agents wait until 2026-11-23 19:00 UTC'],
      ['agent-action', 'usage-resumed', 'ccwave Night plan: usage limit over: agents go on (bad)'],
      ['limit-pause', 'usage-paused', 'ccwave Night plan: five-hour window at 96% (threshold 95%): no new agents until 2026-11-23 19:00 UTC'],
      ['limit-resume', 'usage-resumed', 'ccwave Night plan: the five-hour window reset: new agents may start again'],
      ['task-finished', 'task-failed', 'ccwave Night plan: bad failed: the agent exited with code 3 and a second line'],
      ['task-finished', 'task-failed', 'ccwave Night plan: slow timed out: idle for 10m'],
      ['task-finished', 'task-over-budget', 'ccwave Night plan: big stopped over budget: $5.12 of $5'],
      ['merge-skipped', 'task-conflict', 'ccwave Night plan: clash not merged: a conflict in src/a.ts, src/b.ts (conflicted: the agent could not resolve it)'],
      ['merge-skipped', 'task-failed', 'ccwave Night plan: red not merged: the tests failed with this branch merged'],
      ['wave-finished', 'wave-finished', 'ccwave Night plan: wave 1 finished: 1 of 6 merged · 1.03M tokens, ~$5.54'],
      ['run-interrupted', 'run-interrupted', 'ccwave Night plan: run stopped: received SIGINT; `ccwave run` resumes it'],
      ['run-finished', 'run-failed', 'ccwave Night plan: run finished with exit 1: 6 of 7 not merged · 1.03M tokens, ~$5.54'],
      ['run-finished', 'run-finished', 'ccwave Night plan: run finished: 1 of 7 merged · 1.03M tokens, ~$5.54'],
    ]);
  });

  it('carries the structured facts beside the line', () => {
    let state = initialRunState();
    const found = journalFrom(RUN).flatMap((event) => {
      state = reduce(state, event);
      return notificationFor(event, state) ?? [];
    });
    expect(found.find((n) => n.event === 'task-over-budget')).toEqual({
      event: 'task-over-budget',
      text: expect.any(String),
      runId: 'r1',
      plan: 'Night plan',
      at: expect.stringMatching(/^2026-11-23T/),
      task: 'big',
      wave: 1,
      status: 'over-budget',
      reason: '$5.12 of $5',
      usage: { tokens: 1_000_000, costUsd: 5.12 },
    });
    expect(found.find((n) => n.event === 'task-conflict')).toMatchObject({ task: 'clash', wave: 1, status: 'conflict' });
    expect(found.find((n) => n.event === 'usage-paused')).toMatchObject({ task: 'ok', until: '2026-11-23T19:00:00.000Z' });
    expect(found.find((n) => n.event === 'wave-finished')).toMatchObject({ wave: 1, usage: { tokens: 1_034_200, costUsd: 5.54 } });
    expect(found.find((n) => n.event === 'run-failed')).toMatchObject({ exitCode: 1 });
    expect(found.find((n) => n.event === 'run-interrupted')).toMatchObject({ reason: 'received SIGINT' });
  });

  it('says the cost is unknown for a Codex task, which reports none, rather than $0.00', () => {
    const events: NewJournalEvent[] = [
      runStartedEvent([['cx']], { planName: 'P' }),
      { type: 'wave-started', wave: 1, fromSha: 'a'.repeat(40) },
      { type: 'agent-usage', task: 'cx', attempt: 1, sessionId: 's-cx', usage: { tokens: { input: 1200, output: 300, cacheCreation: 0, cacheRead: 0 }, costUsd: 0, costUnknown: true } },
      { type: 'task-finished', task: 'cx', status: 'failed', reason: 'exit 1', commits: 0 },
      { type: 'wave-finished', wave: 1, integrationSha: 'a'.repeat(40) },
    ];
    let state = initialRunState();
    const sent = journalFrom(events).flatMap((event) => {
      state = reduce(state, event);
      return notificationFor(event, state) ?? [];
    });
    const wave = sent.find((n) => n.event === 'wave-finished');
    expect(wave?.text).toBe('ccwave P: wave 1 finished: 0 of 1 merged · 1.5k tokens, cost unknown');
    expect(wave?.usage).toEqual({ tokens: 1500, costUsd: 0, costUnknown: true });
  });

  it('keeps hostile text to one inert, bounded line', () => {
    const events: NewJournalEvent[] = [
      runStartedEvent([['x']], { planName: 'P' }),
      { type: 'task-finished', task: 'x', status: 'failed', reason: `\u001b[31mred\u001b[0m @here <https://evil.example|click>\r\n${'y'.repeat(2000)}`, commits: 0 },
    ];
    const [, [, kind, text]] = notifications(events) as [unknown, [string, string, string]];
    expect(kind).toBe('task-failed');
    expect(text).toMatch(/^ccwave P: x failed: \[31mred\[0m @\u2060here ‹https:\/\/evil\.example\|click› y+…$/);
    expect(text).toHaveLength(400);
  });
});
