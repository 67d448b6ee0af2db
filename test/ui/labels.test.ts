import { describe, expect, it } from 'vitest';
import type { NewJournalEvent, RunState } from '../../src/journal/index.js';
import { describeTask } from '../../src/ui/format/task-status.js';
import { timeFormatter } from '../../src/ui/format/time.js';
import { waveTitle } from '../../src/ui/format/waves.js';
import { PlainReporter } from '../../src/ui/plain-reporter.js';
import { journal, runStarted, sha, stateOf } from './helpers/journal.js';
import { report } from './helpers/plain-log.js';

const id = 'feature-001';
const hm = timeFormatter('UTC').hourMinute;
const plan = runStarted([[{ id, title: 'T' }]]);

function at(events: NewJournalEvent[]): ReturnType<typeof journal> {
  return journal(['09:00:00', plan], ...events.map((e, i): [string, NewJournalEvent] => [`09:0${i + 1}:00`, e]));
}

function plainLines(events: NewJournalEvent[]): string[] {
  let out = '';
  const reporter = new PlainReporter({ write: (text) => (out += text), timeZone: 'UTC' });
  report(reporter, at(events));
  return out.trimEnd().split('\n').slice(1);
}

function named(names: string[]): RunState {
  const events = journal(['09:00:00', { ...plan, waves: names.map((name, i) => ({ index: i + 1, name, tasks: [] })) } as NewJournalEvent]);
  return stateOf(events);
}

describe('a command agent', () => {
  const started: NewJournalEvent = { type: 'agent-starting', task: id, attempt: 1, sessionId: 's', resume: false, agent: 'command' };

  it('is running once started: it never reports a state of its own', () => {
    const task = stateOf(at([started])).tasks[id]!;
    expect(describeTask(task, hm)).toEqual({ kind: 'working', label: 'running' });
  });

  it('is logged as running when it starts, since no state of its own will say so', () => {
    expect(plainLines([started])).toEqual([`09:01:00 ${id}  ▸ running`]);
    expect(plainLines([{ ...started, agent: 'claude' }])).toEqual([]);
  });

  it('runs again rather than "resuming a session" it does not have', () => {
    const again: NewJournalEvent = { ...started, attempt: 2, resume: true };
    expect(plainLines([started, again])).toEqual([`09:01:00 ${id}  ▸ running`, `09:02:00 ${id}  ▸ running again (attempt 2)`]);
    // Claude's sessions are resumed: that line stays.
    const claude: NewJournalEvent[] = [
      { ...started, agent: 'claude' },
      { ...again, agent: 'claude' },
    ];
    expect(plainLines(claude)).toEqual([`09:02:00 ${id}  ◎ resuming session (attempt 2)`]);
  });
});

describe('waveTitle', () => {
  it('says the wave number once, with the name the plan gave it', () => {
    const state = named(['Wave 1: first steps', 'Wave 2', 'Wave two — the rest', 'Wave 7: numbered apart']);
    expect(state.waves.map((wave) => waveTitle(state, wave))).toEqual(['wave 1/4: first steps', 'wave 2/4', 'wave 3/4: Wave two — the rest', 'wave 4/4: Wave 7: numbered apart']);
  });
});

describe('a task whose agent resolved a merge conflict', () => {
  it('shows it was merged after one, not just "merged"', () => {
    const events: NewJournalEvent[] = [
      { type: 'agent-starting', task: id, attempt: 1, sessionId: 's', resume: false, agent: 'claude' },
      { type: 'task-finished', task: id, status: 'done', tipSha: sha('1'), commits: 1 },
      { type: 'merge-intent', task: id, tip: sha('1'), into: sha('2') },
      { type: 'handback-started', task: id, round: 1, integrationTip: sha('2'), paths: ['shared.txt'], overlapping: [] },
      { type: 'agent-starting', task: id, attempt: 2, sessionId: 's', resume: true, agent: 'claude' },
      { type: 'task-finished', task: id, status: 'done', tipSha: sha('3'), commits: 2 },
      { type: 'merge-done', task: id, tip: sha('3'), result: 'merged', mergeSha: sha('4'), integrationSha: sha('4') },
    ];
    expect(describeTask(stateOf(at(events)).tasks[id]!, hm)).toEqual({ kind: 'merged', label: 'merged (conflict resolved)' });
  });
});
