import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { Journal, JOURNAL_VERSION, JournalVersionError, journalEventSchema, parseJournal, replay, versionOf, type AgentAction, type NewJournalEvent } from '../../src/journal/index.js';
import { statusJson } from '../../src/journal/status-json.js';
import { journalFrom, runStartedEvent } from '../helpers/journal.js';
import { tempDir } from '../helpers/temp.js';

const SHA = 'a'.repeat(40);
const RUN = '20261123-144501-ab12';
/** A one-task plan; the hand-written version-1 journal below spells out the same event. */
const plan = runStartedEvent([[{ id: 'a', title: 'A' }]], { runId: RUN, planName: 'Demo', base: { branch: 'main', sha: SHA } });

const start = (attempt: number): NewJournalEvent => ({ type: 'agent-starting', task: 'a', attempt, sessionId: 's1', resume: attempt > 1, agent: 'claude' });
const act = (attempt: number, action: AgentAction, detail?: string): NewJournalEvent => ({ type: 'agent-action', task: 'a', attempt, action, ...(detail ? { detail } : {}) });

const cases: Array<{ name: string; events: NewJournalEvent[]; counts: Partial<Record<AgentAction, number>>; last?: { action: AgentAction; attempt: number; detail?: string } }> = [
  { name: 'no actions', events: [start(1)], counts: {} },
  { name: 'one nudge', events: [start(1), act(1, 'nudge', 'stop')], counts: { nudge: 1 }, last: { action: 'nudge', attempt: 1, detail: 'stop' } },
  {
    name: 'a pause and its end, then a nudge',
    events: [start(1), act(1, 'paused', 'usage limit until 2026-11-23T15:00:00.000Z'), act(1, 'resumed', 'usage limit reset'), act(1, 'nudge')],
    counts: { paused: 1, resumed: 1, nudge: 1 },
    last: { action: 'nudge', attempt: 1 },
  },
  {
    name: 'counted over attempts',
    events: [start(1), act(1, 'dialog', 'trust'), act(1, 'api-retry', '30s'), start(2), act(2, 'dialog', 'trust'), act(2, 'auto-commit', SHA)],
    counts: { dialog: 2, 'api-retry': 1, 'auto-commit': 1 },
    last: { action: 'auto-commit', attempt: 2, detail: SHA },
  },
  {
    name: 'every kind once',
    events: [start(1), ...(['nudge', 'ask-commit', 'dialog', 'auto-commit', 'api-retry', 'paused', 'resumed', 'waiting-for-human', 'session-resumed'] as const).map((a) => act(1, a))],
    counts: { nudge: 1, 'ask-commit': 1, dialog: 1, 'auto-commit': 1, 'api-retry': 1, paused: 1, resumed: 1, 'waiting-for-human': 1, 'session-resumed': 1 },
    last: { action: 'session-resumed', attempt: 1 },
  },
];

describe('agent actions in the run state', () => {
  it.each(cases)('$name', ({ events, counts, last }) => {
    const task = replay(journalFrom([plan, { type: 'wave-started', wave: 1, fromSha: SHA }, ...events])).tasks.a!;
    expect(task.actions?.counts ?? {}).toEqual(counts);
    expect(task.actions?.last).toEqual(last === undefined ? undefined : { ...last, at: expect.any(String) });
  });

  it('shows in status --json for every task, empty when none', () => {
    const state = replay(journalFrom([plan, start(1), act(1, 'nudge', 'stop'), act(1, 'nudge', 'stop')]));
    const json = statusJson({ state, activity: { kind: 'finished' }, warnings: [] });
    expect(json.run?.tasks[0]?.actions).toEqual({ counts: { nudge: 2 }, last: { action: 'nudge', attempt: 1, detail: 'stop', at: expect.any(String) } });
    const none = statusJson({ state: replay(journalFrom([plan])), activity: { kind: 'finished' }, warnings: [] });
    expect(none.run?.tasks[0]?.actions).toEqual({ counts: {}, last: null });
  });

  it('rejects an action kind the journal does not know', () => {
    expect(() => journalEventSchema.parse({ v: 2, seq: 1, at: '2026-11-23T14:00:00.000Z', type: 'agent-action', task: 'a', attempt: 1, action: 'finish' })).toThrow();
  });
});

describe('a journal written by the previous version', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = path.join(tempDir('ccwave-journal-'), 'ccwave');
  });

  /** What ccwave wrote before agent actions were journaled: every line at version 1. */
  const V1_LINES = [
    { v: 1, seq: 1, at: '2026-11-23T14:00:00.000Z', ...plan },
    { v: 1, seq: 2, at: '2026-11-23T14:00:01.000Z', type: 'wave-started', wave: 1, fromSha: SHA },
    { v: 1, seq: 3, at: '2026-11-23T14:00:02.000Z', type: 'agent-starting', task: 'a', attempt: 1, sessionId: 's1', resume: false, agent: 'claude' },
    { v: 1, seq: 4, at: '2026-11-23T14:00:03.000Z', type: 'agent-state', task: 'a', state: 'working' },
  ];

  it('still reads, and a resumed run appends agent actions to it', () => {
    const file = path.join(dataDir, 'runs', RUN, 'journal.jsonl');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, V1_LINES.map((line) => `${JSON.stringify(line)}\n`).join(''));
    const journal = Journal.open(dataDir, RUN, { clock: () => new Date('2026-11-23T14:05:00.000Z') });
    expect(journal.read().events).toHaveLength(4);
    journal.append({ type: 'run-resumed', pid: 1, command: 'ccwave run' });
    journal.append({ type: 'agent-action', task: 'a', attempt: 1, action: 'nudge', detail: 'stop' });
    journal.close();
    const written = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { v: number; type: string });
    // Events an older ccwave knows keep its version; only the new kind asks for the new one.
    expect(written.slice(4).map((e) => [e.type, e.v])).toEqual([
      ['run-resumed', 1],
      ['agent-action', 2],
    ]);
    const { events, warnings } = Journal.read(dataDir, RUN);
    expect(warnings).toEqual([]);
    expect(replay(events).tasks.a?.actions?.counts).toEqual({ nudge: 1 });
  });

  it('a session whose agent names it is written so an older ccwave asks for an upgrade, and only then', () => {
    const events: NewJournalEvent[] = [
      { type: 'agent-starting', task: 'a', attempt: 1, sessionId: 's1', resume: false, agent: 'claude' },
      { type: 'agent-starting', task: 'a', attempt: 1, resume: false, agent: 'codex' },
      { type: 'agent-session', task: 'a', attempt: 1, sessionId: 's1' },
    ];
    expect(events.map((e) => versionOf(e))).toEqual([1, 4, 4]);
  });

  it('a version newer than this ccwave asks for an upgrade', () => {
    const line = JSON.stringify({ ...V1_LINES[0], v: JOURNAL_VERSION + 1 });
    expect(() => parseJournal(`${line}\n`, 'journal.jsonl')).toThrow(JournalVersionError);
  });
});
