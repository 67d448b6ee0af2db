import { describe, expect, it } from 'vitest';
import { initialRunState, JOURNAL_EVENT_TYPES, journalEventSchema, reduce, replay, type JournalEvent, type JournalEventType, type NewJournalEvent, type RunState } from '../../src/journal/index.js';

const BASE = '1'.repeat(40);
const TIP = '2'.repeat(40);
const MERGE = '3'.repeat(40);
const RETRO = '4'.repeat(40);
const INTEGRATION = 'ccwave/r1/integration';

let seq = 0;
/** A stored event: what the journal would have written for `event`. */
function ev(event: NewJournalEvent): JournalEvent {
  seq += 1;
  const at = new Date(Date.UTC(2026, 10, 23, 14, 0, seq)).toISOString();
  // Through the schema, as the journal does: validates the test data and applies defaults.
  return journalEventSchema.parse({ v: 1, seq, at, ...event });
}

const runStarted: NewJournalEvent = {
  type: 'run-started',
  runId: 'r1',
  planFile: 'WAVES.md',
  planName: 'Demo',
  base: { branch: 'main', sha: BASE },
  integration: { branch: INTEGRATION, worktree: '/tmp/x/_integration' },
  settings: { concurrency: 2, agent: 'claude', timeouts: { idleSeconds: 600 } },
  waves: [
    {
      index: 1,
      name: 'Wave 1',
      tasks: [
        { id: 'a', title: 'Task A', promptPath: 'f/a/PROMPT.md' },
        { id: 'b', title: 'Task B', promptPath: 'f/b/PROMPT.md' },
      ],
    },
    { index: 2, name: 'Wave 2', tasks: [{ id: 'c', title: 'Task C', promptPath: 'f/c/PROMPT.md' }] },
  ],
};

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

interface Case {
  type: JournalEventType;
  before?: NewJournalEvent[];
  event: NewJournalEvent;
  check: (state: RunState, previous: RunState) => void;
}

const cases: Case[] = [
  {
    type: 'run-started',
    event: runStarted,
    check: (s) => {
      expect(s).toMatchObject({ runId: 'r1', planFile: 'WAVES.md', planName: 'Demo', status: 'running', base: { branch: 'main', sha: BASE } });
      expect(s.integration).toEqual({ branch: INTEGRATION, worktree: '/tmp/x/_integration', sha: BASE });
      expect(s.settings).toEqual({ concurrency: 2, agent: 'claude', timeouts: { idleSeconds: 600 } });
      expect(s.waves.map((w) => [w.index, w.status, w.taskIds])).toEqual([
        [1, 'pending', ['a', 'b']],
        [2, 'pending', ['c']],
      ]);
      expect(s.tasks.b).toEqual({ id: 'b', title: 'Task B', promptPath: 'f/b/PROMPT.md', wave: 1, status: 'pending', attempts: 0, sessionIds: [] });
      expect(s.startedAt).toBeDefined();
    },
  },
  {
    type: 'run-resumed',
    before: [{ type: 'run-interrupted', reason: 'SIGINT', signal: 'SIGINT' }],
    event: { type: 'run-resumed', pid: 4321, command: 'ccwave run WAVES.md' },
    check: (s) => {
      expect(s.status).toBe('running');
      expect(s.resumes).toEqual([{ at: expect.any(String), pid: 4321, command: 'ccwave run WAVES.md' }]);
    },
  },
  {
    type: 'wave-started',
    event: { type: 'wave-started', wave: 1, fromSha: BASE },
    check: (s) => expect(s.waves[0]).toMatchObject({ status: 'running', fromSha: BASE, startedAt: expect.any(String) }),
  },
  {
    type: 'worktree-intent',
    event: { type: 'worktree-intent', task: 'a', path: '/w/a', branch: 'ccwave/r1/w1/a', fromSha: BASE },
    check: (s) => expect(s.tasks.a).toMatchObject({ status: 'preparing', worktree: { path: '/w/a', branch: 'ccwave/r1/w1/a', fromSha: BASE, created: false } }),
  },
  {
    type: 'worktree-created',
    before: [{ type: 'worktree-intent', task: 'a', path: '/w/a', branch: 'ccwave/r1/w1/a', fromSha: BASE }],
    event: { type: 'worktree-created', task: 'a', path: '/w/a', branch: 'ccwave/r1/w1/a', fromSha: BASE },
    check: (s) => expect(s.tasks.a?.worktree?.created).toBe(true),
  },
  {
    type: 'copy-skipped',
    before: [{ type: 'copy-skipped', task: 'a', path: '.env', reason: 'it is a symlink in the worktree' }],
    event: { type: 'copy-skipped', task: 'a', path: '.env', reason: 'it already exists in the worktree' },
    // One line per path: a resumed run that skips it again does not list it twice.
    check: (s) => expect(s.tasks.a?.copySkipped).toEqual([{ path: '.env', reason: 'it already exists in the worktree' }]),
  },
  {
    type: 'setup-started',
    event: { type: 'setup-started', task: 'a', command: 'npm ci' },
    check: (s) => expect(s.tasks.a).toMatchObject({ status: 'preparing', setup: { command: 'npm ci' } }),
  },
  {
    type: 'setup-finished',
    before: [{ type: 'setup-started', task: 'a', command: 'npm ci' }],
    event: { type: 'setup-finished', task: 'a', ok: false, exitCode: 1, durationMs: 1200, outputTail: 'ERR!' },
    check: (s) => expect(s.tasks.a?.setup).toMatchObject({ command: 'npm ci', ok: false, exitCode: 1, durationMs: 1200, outputTail: 'ERR!' }),
  },
  {
    type: 'agent-starting',
    before: [{ type: 'agent-starting', task: 'a', attempt: 1, sessionId: 's1', resume: false, agent: 'claude' }],
    event: { type: 'agent-starting', task: 'a', attempt: 2, sessionId: 's2', resume: false, agent: 'claude', logPath: '/logs/a.log' },
    check: (s, prev) => {
      expect(s.tasks.a).toMatchObject({ status: 'running', attempts: 2, sessionId: 's2', sessionIds: ['s1', 's2'], agent: { state: 'starting', logPath: '/logs/a.log' } });
      // The task's start time is its first attempt's.
      expect(s.tasks.a?.startedAt).toBe(prev.tasks.a?.startedAt);
    },
  },
  {
    // An agent that names its own session: a new one has no id until it says it, then that is the one resumed.
    type: 'agent-session',
    before: [
      { type: 'agent-starting', task: 'a', attempt: 1, sessionId: 's1', resume: false, agent: 'codex' },
      { type: 'agent-starting', task: 'a', attempt: 2, resume: false, agent: 'codex' },
    ],
    event: { type: 'agent-session', task: 'a', attempt: 2, sessionId: 's2' },
    check: (s, prev) => {
      expect(prev.tasks.a).toMatchObject({ sessionId: undefined, sessionIds: ['s1'] });
      expect(s.tasks.a).toMatchObject({ status: 'running', attempts: 2, sessionId: 's2', sessionIds: ['s1', 's2'] });
    },
  },
  {
    type: 'agent-state',
    before: [{ type: 'agent-starting', task: 'a', attempt: 1, sessionId: 's1', resume: false, agent: 'claude' }],
    event: { type: 'agent-state', task: 'a', state: 'paused', reason: 'usage limit', until: '2026-11-23T15:00:00.000Z' },
    check: (s) => expect(s.tasks.a?.agent).toMatchObject({ name: 'claude', state: 'paused', reason: 'usage limit', until: '2026-11-23T15:00:00.000Z' }),
  },
  {
    type: 'agent-action',
    before: [{ type: 'agent-action', task: 'a', attempt: 1, action: 'nudge', detail: 'stop' }],
    event: { type: 'agent-action', task: 'a', attempt: 2, action: 'dialog', detail: 'trust this folder' },
    check: (s) => expect(s.tasks.a?.actions).toEqual({ counts: { nudge: 1, dialog: 1 }, last: { action: 'dialog', attempt: 2, detail: 'trust this folder', at: expect.any(String) } }),
  },
  {
    type: 'task-finished',
    event: { type: 'task-finished', task: 'b', status: 'timeout', reason: 'idle for 10 minutes', tipSha: TIP, commits: 3 },
    check: (s) => expect(s.tasks.b).toMatchObject({ status: 'timeout', reason: 'idle for 10 minutes', tipSha: TIP, commits: 3, finishedAt: expect.any(String) }),
  },
  {
    type: 'merge-intent',
    event: { type: 'merge-intent', task: 'a', tip: TIP, into: BASE },
    check: (s) => {
      expect(s.tasks.a?.merge).toMatchObject({ status: 'merging', tip: TIP, into: BASE });
      expect(s.waves[0]?.status).toBe('merging');
    },
  },
  {
    type: 'merge-done',
    before: [{ type: 'merge-intent', task: 'a', tip: TIP, into: BASE }],
    event: { type: 'merge-done', task: 'a', tip: TIP, result: 'merged', mergeSha: MERGE, integrationSha: MERGE },
    check: (s) => {
      expect(s.tasks.a?.merge).toMatchObject({ status: 'merged', tip: TIP, into: BASE, mergeSha: MERGE });
      expect(s.integration?.sha).toBe(MERGE);
    },
  },
  {
    type: 'merge-skipped',
    event: { type: 'merge-skipped', task: 'b', tip: TIP, result: 'conflict', conflictedPaths: ['src/x.ts'], reason: 'conflicts with a' },
    check: (s) => expect(s.tasks.b?.merge).toMatchObject({ status: 'conflict', conflictedPaths: ['src/x.ts'], reason: 'conflicts with a' }),
  },
  {
    type: 'handback-started',
    event: { type: 'handback-started', task: 'b', round: 1, integrationTip: MERGE, paths: ['src/x.ts'], overlapping: ['a'] },
    check: (s) => expect(s.tasks.b?.handback).toEqual({ round: 1, integrationTip: MERGE, paths: ['src/x.ts'], overlapping: ['a'], pending: true, at: expect.any(String) }),
  },
  {
    type: 'task-finished',
    before: [{ type: 'handback-started', task: 'b', round: 1, integrationTip: MERGE, paths: ['src/x.ts'], overlapping: [] }],
    event: { type: 'task-finished', task: 'b', status: 'failed', reason: 'while resolving a merge conflict: crashed', commits: 1 },
    check: (s) => expect(s.tasks.b).toMatchObject({ status: 'failed', handback: { round: 1, pending: false } }),
  },
  {
    type: 'retro-started',
    event: { type: 'retro-started', wave: 1 },
    check: (s) => expect(s.waves[0]?.retroStartedAt).toEqual(expect.any(String)),
  },
  {
    type: 'test-started',
    event: { type: 'test-started', testId: 't1', wave: 1, tasks: ['a', 'b'], sha: MERGE, command: 'npm test' },
    check: (s) => {
      expect(s.tests).toEqual([{ testId: 't1', wave: 1, tasks: ['a', 'b'], sha: MERGE, command: 'npm test', startedAt: expect.any(String) }]);
      expect(s.tasks.b?.lastTest).toEqual({ testId: 't1', sha: MERGE });
    },
  },
  {
    type: 'test-finished',
    before: [{ type: 'test-started', testId: 't1', wave: 1, tasks: ['a'], sha: MERGE, command: 'npm test' }],
    event: { type: 'test-finished', testId: 't1', wave: 1, tasks: ['a'], sha: MERGE, passed: false, exitCode: 1, durationMs: 5000, outputTail: '1 failed' },
    check: (s) => {
      expect(s.tests[0]).toMatchObject({ command: 'npm test', passed: false, exitCode: 1, durationMs: 5000, outputTail: '1 failed', finishedAt: expect.any(String) });
      expect(s.tasks.a?.lastTest).toEqual({ testId: 't1', sha: MERGE, passed: false });
    },
  },
  {
    type: 'retro-written',
    event: { type: 'retro-written', wave: 1, path: 'waves/retro-1.md', sha: RETRO },
    check: (s) => {
      expect(s.waves[0]?.retro).toEqual({ path: 'waves/retro-1.md', sha: RETRO });
      expect(s.integration?.sha).toBe(RETRO);
    },
  },
  {
    type: 'retro-skipped',
    event: { type: 'retro-skipped', wave: 1, path: 'waves/retro-1.md', reason: '`waves` is a symlink in the committed tree' },
    check: (s, before) => {
      expect(s.waves[0]?.retroSkipped).toEqual({ path: 'waves/retro-1.md', reason: '`waves` is a symlink in the committed tree' });
      expect(s.waves[0]?.retro).toBeUndefined();
      expect(s.integration?.sha).toBe(before.integration?.sha);
    },
  },
  {
    type: 'land-intent',
    event: { type: 'land-intent', branch: 'main', from: BASE, to: RETRO },
    check: (s) => expect(s.land).toMatchObject({ branch: 'main', from: BASE, to: RETRO, status: 'landing' }),
  },
  {
    type: 'land-refused',
    event: { type: 'land-refused', branch: 'main', why: 'main is checked out in /r with uncommitted changes', command: 'git switch main && git merge --ff-only x' },
    check: (s) => expect(s.landRefusal).toMatchObject({ branch: 'main', why: 'main is checked out in /r with uncommitted changes', command: 'git switch main && git merge --ff-only x' }),
  },
  {
    type: 'land-done',
    before: [
      { type: 'land-refused', branch: 'main', why: 'dirty', command: 'git merge' },
      { type: 'land-intent', branch: 'main', from: BASE, to: RETRO },
    ],
    event: { type: 'land-done', branch: 'main', sha: RETRO },
    check: (s) => {
      expect(s.land).toMatchObject({ branch: 'main', from: BASE, to: RETRO, status: 'landed', sha: RETRO });
      expect(s.landRefusal).toBeUndefined();
    },
  },
  {
    type: 'wave-finished',
    before: [{ type: 'wave-started', wave: 1, fromSha: BASE }],
    event: { type: 'wave-finished', wave: 1, integrationSha: MERGE },
    check: (s) => {
      expect(s.waves[0]).toMatchObject({ status: 'finished', integrationSha: MERGE, finishedAt: expect.any(String) });
      expect(s.waves[1]?.status).toBe('pending');
      expect(s.integration?.sha).toBe(MERGE);
    },
  },
  {
    type: 'run-interrupted',
    event: { type: 'run-interrupted', reason: 'received SIGINT', signal: 'SIGINT' },
    check: (s) => {
      expect(s.status).toBe('interrupted');
      expect(s.interruptions).toEqual([{ at: expect.any(String), reason: 'received SIGINT', signal: 'SIGINT' }]);
    },
  },
  {
    type: 'run-finished',
    event: { type: 'run-finished', exitCode: 1 },
    check: (s) => expect(s).toMatchObject({ status: 'finished', exitCode: 1, finishedAt: expect.any(String) }),
  },
  {
    type: 'agent-usage',
    before: [
      { type: 'agent-usage', task: 'a', attempt: 1, sessionId: 's1', usage: { tokens: { input: 100, output: 20, cacheCreation: 0, cacheRead: 50 }, costUsd: 0.5 } },
      { type: 'agent-usage', task: 'a', attempt: 2, sessionId: 's1', usage: { tokens: { input: 300, output: 40, cacheCreation: 0, cacheRead: 50 }, costUsd: 1.25 } },
    ],
    // A second session of the same task counts from zero; a figure that went down adds nothing.
    event: {
      type: 'agent-usage',
      task: 'a',
      attempt: 2,
      sessionId: 's2',
      usage: { tokens: { input: 10, output: 5, cacheCreation: 7, cacheRead: 0 }, costUsd: 0.25 },
      model: 'claude-x',
      rateLimits: { fiveHour: { usedPercentage: 42, resetsAt: '2026-11-23T19:00:00.000Z' } },
    },
    check: (s) => {
      const usage = s.tasks.a!.usage!;
      expect(usage.total).toEqual({ tokens: { input: 310, output: 45, cacheCreation: 7, cacheRead: 50 }, costUsd: 1.5 });
      expect(usage.byAttempt).toEqual({
        '1': { tokens: { input: 100, output: 20, cacheCreation: 0, cacheRead: 50 }, costUsd: 0.5 },
        '2': { tokens: { input: 210, output: 25, cacheCreation: 7, cacheRead: 0 }, costUsd: 1 },
      });
      expect(usage.model).toBe('claude-x');
      expect(s.rateLimits).toEqual({ fiveHour: { usedPercentage: 42, resetsAt: '2026-11-23T19:00:00.000Z' }, at: expect.any(String) });
    },
  },
  {
    type: 'limit-pause',
    event: { type: 'limit-pause', until: '2026-11-23T19:00:00.000Z', usedPercentage: 96, threshold: 95 },
    check: (s) => expect(s.limitPause).toEqual({ until: '2026-11-23T19:00:00.000Z', usedPercentage: 96, threshold: 95, at: expect.any(String) }),
  },
  {
    type: 'limit-resume',
    before: [{ type: 'limit-pause', until: '2026-11-23T19:00:00.000Z', usedPercentage: 96, threshold: 95 }],
    event: { type: 'limit-resume' },
    check: (s) => expect(s.limitPause).toBeUndefined(),
  },
  {
    type: 'notify-failed',
    event: { type: 'notify-failed', notification: 'task-failed', target: 'hooks.example.com', error: 'HTTP 500' },
    check: (s) => expect(s.notifyFailures).toEqual([{ at: expect.any(String), notification: 'task-failed', target: 'hooks.example.com', error: 'HTTP 500' }]),
  },
  {
    type: 'repair',
    event: { type: 'repair', action: 'merge-found', task: 'a', detail: 'merge commit found by trailer; journaled merge-done' },
    check: (s) => expect(s.repairs).toEqual([{ at: expect.any(String), action: 'merge-found', task: 'a', detail: 'merge commit found by trailer; journaled merge-done' }]),
  },
];

describe('reduce', () => {
  it('has a case for every event type', () => {
    expect(new Set(cases.map((c) => c.type))).toEqual(new Set(JOURNAL_EVENT_TYPES));
  });

  it.each(cases)('$type', ({ event, before = [], check }) => {
    const prefix = event.type === 'run-started' ? [] : [runStarted, ...before];
    const previous = deepFreeze(replay(prefix.map(ev)));
    const stored = ev(event);
    // deepFreeze makes any edit of the previous state throw: the reducer must copy.
    const next = reduce(previous, stored);
    expect(next).not.toBe(previous);
    expect(next.lastSeq).toBe(stored.seq);
    expect(next.updatedAt).toBe(stored.at);
    check(next, previous);
  });

  it('keeps a task the plan did not list visible instead of failing', () => {
    const state = replay([runStarted, { type: 'task-finished', task: 'ghost', status: 'failed', commits: 0 } as NewJournalEvent].map(ev));
    expect(state.tasks.ghost).toMatchObject({ id: 'ghost', wave: null, status: 'failed' });
  });

  it('gives every task a test covered its result, a task the plan did not list and one called __proto__ included', () => {
    const tested = ['a', 'ghost', '__proto__'];
    const state = replay(
      [
        runStarted,
        { type: 'test-started', testId: 't1', wave: 1, tasks: tested, sha: MERGE, command: 'npm test' } as NewJournalEvent,
        { type: 'test-finished', testId: 't1', wave: 1, tasks: tested, sha: MERGE, passed: true, exitCode: 0, durationMs: 1, outputTail: '' } as NewJournalEvent,
      ].map(ev),
    );
    for (const id of tested) expect(Object.getOwnPropertyDescriptor(state.tasks, id)?.value).toMatchObject({ id, lastTest: { testId: 't1', sha: MERGE, passed: true } });
    expect(Object.getPrototypeOf(state.tasks)).toBe(Object.prototype);
    expect(state.tasks.b?.lastTest).toBeUndefined();
  });

  it('replays to the state event-by-event reduction reaches, and leaves the state it started from as it was', () => {
    const head = [runStarted, { type: 'wave-started', wave: 1, fromSha: BASE } as NewJournalEvent].map(ev);
    const tail = [
      { type: 'agent-state', task: 'a', state: 'working' },
      { type: 'agent-state', task: '__proto__', state: 'working' },
      { type: 'task-finished', task: 'a', status: 'done', commits: 1 },
      { type: 'task-finished', task: 'ghost', status: 'failed', commits: 0 },
      { type: 'task-finished', task: '__proto__', status: 'failed', commits: 0 },
    ].map((e) => ev(e as NewJournalEvent));
    // Frozen: an edit in place of the state a replay starts from would throw.
    const from = deepFreeze(replay(head));
    const replayed = replay(tail, from);
    expect(replayed).toEqual(tail.reduce(reduce, from));
    expect(Object.keys(replayed.tasks)).toEqual(['a', 'b', 'c', '__proto__', 'ghost']);
    expect(Object.getPrototypeOf(replayed.tasks)).toBe(Object.prototype);
    expect(Object.keys(from.tasks)).toEqual(['a', 'b', 'c']);
    // A state a replay returned is no longer its own: reducing on from it copies.
    const later = reduce(deepFreeze(replayed), ev({ type: 'agent-state', task: 'b', state: 'working' } as NewJournalEvent));
    expect(later.tasks.b).not.toEqual(replayed.tasks.b);
  });

  it('gives the same state for the same events', () => {
    const events = [runStarted, { type: 'wave-started', wave: 1, fromSha: BASE } as NewJournalEvent].map(ev);
    expect(replay(events)).toEqual(replay(events));
    expect(replay([])).toEqual(initialRunState());
  });
});
