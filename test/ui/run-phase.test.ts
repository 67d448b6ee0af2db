import { describe, expect, it } from 'vitest';
import { agentsRunning, pausedUntil, runPhase, type RunPhase } from '../../src/journal/run-phase.js';
import type { NewJournalEvent, RunState } from '../../src/journal/index.js';
import { BASE, iso, midWaveOne, sha, SLUGIFY, stateOf, waveOneFinished, WORDCOUNT, WORKTREES } from './helpers/journal.js';
import { after, mergingThirdOfFive, oneAgentLeft, testingSecondRun } from './helpers/phases.js';

const waveTwo = (events: NewJournalEvent[]): RunState => after(stateOf(waveOneFinished()), '14:40:00', ...events);
const wave2Done: NewJournalEvent = { type: 'task-finished', task: WORKTREES.id, status: 'done', tipSha: sha('9999999'), commits: 2 };
const intent: NewJournalEvent = { type: 'merge-intent', task: WORKTREES.id, tip: sha('9999999'), into: sha('e7e7e7e') };
const merged: NewJournalEvent = { type: 'merge-done', task: WORKTREES.id, tip: sha('9999999'), result: 'merged', mergeSha: sha('f1'), integrationSha: sha('f1') };
const landIntent: NewJournalEvent = { type: 'land-intent', branch: 'main', from: BASE, to: sha('f1') };

/** What the runner told the TUI at each of these points, before the header read the journal. */
const phases: Array<[name: string, state: () => RunState, phase: RunPhase | undefined]> = [
  ['agents at work', () => stateOf(waveOneFinished()), { wave: 2, kind: 'agents' }],
  ['every task over, no merge yet', () => waveTwo([wave2Done]), { wave: 2, kind: 'merging' }],
  ['a merge in the queue', () => mergingThirdOfFive(), { wave: 1, kind: 'merging', detail: 'merging feature-002 (3/5)' }],
  [
    'a test run',
    () => waveTwo([wave2Done, intent, { type: 'test-started', testId: 't2', wave: 2, tasks: [WORKTREES.id], sha: sha('f1'), command: 'npm test' }]),
    { wave: 2, kind: 'testing', detail: 'testing f100000' },
  ],
  ['a test run again', () => testingSecondRun(stateOf(midWaveOne())), { wave: 1, kind: 'testing', detail: 'testing 4f2a1c9 (run 2)' }],
  ['merged, before the retrospective', () => waveTwo([wave2Done, intent, merged]), { wave: 2, kind: 'merging' }],
  ['writing the retrospective', () => waveTwo([wave2Done, intent, merged, { type: 'retro-started', wave: 2 }]), { wave: 2, kind: 'retro' }],
  [
    'landing',
    () => waveTwo([wave2Done, intent, merged, { type: 'retro-started', wave: 2 }, { type: 'retro-written', wave: 2, path: 'r.md', sha: sha('f2') }, landIntent]),
    { wave: 2, kind: 'landing' },
  ],
  ['a landing git refused', () => waveTwo([wave2Done, intent, merged, landIntent, { type: 'land-refused', branch: 'main', why: 'git refused', command: 'git merge' }]), { wave: 2, kind: 'merging' }],
  ['every wave finished', () => waveTwo([wave2Done, intent, merged, { type: 'land-done', branch: 'main', sha: sha('f1') }, { type: 'wave-finished', wave: 2, integrationSha: sha('f1') }]), undefined],
  ['run interrupted', () => waveTwo([{ type: 'run-interrupted', reason: 'received SIGINT' }]), undefined],
];

describe('the run phase from the journal', () => {
  it.each(phases)('%s', (_name, state, phase) => {
    expect(runPhase(state())).toEqual(phase);
  });
});

describe('the usage-limit pause from the journal', () => {
  const cases: Array<[name: string, state: () => RunState, until: string | undefined]> = [
    ['one agent paused', () => stateOf(midWaveOne()), iso('15:00:00')],
    ['no agent paused', () => stateOf(waveOneFinished()), undefined],
    [
      'the latest reset of two',
      () => after(stateOf(midWaveOne()), '14:29:00', { type: 'agent-state', task: SLUGIFY.id, state: 'paused', reason: 'usage limit', until: iso('15:30:00') }),
      iso('15:30:00'),
    ],
    ['over once the agent works again', () => after(stateOf(midWaveOne()), '15:00:30', { type: 'agent-state', task: 'feature-003-truncate', state: 'working' }), undefined],
    ['not an agent left paused by a crash', () => after(stateOf(midWaveOne()), '14:50:00', { type: 'run-resumed', pid: 2, command: 'ccwave run' }), undefined],
    ['over when the paused task ends', () => after(stateOf(midWaveOne()), '14:40:00', { type: 'task-finished', task: 'feature-003-truncate', status: 'cancelled', commits: 0 }), undefined],
  ];
  it.each(cases)('%s', (_name, state, until) => {
    expect(pausedUntil(state())).toBe(until);
  });
});

describe('the agents at work from the journal', () => {
  const cases: Array<[name: string, state: () => RunState, count: number]> = [
    ['three agents of wave 1', () => stateOf(midWaveOne()), 3],
    ['one left', () => oneAgentLeft(stateOf(midWaveOne())), 1],
    ['the one agent of wave 2', () => stateOf(waveOneFinished()), 1],
    ['none after the wave', () => waveTwo([wave2Done]), 0],
    ['a running setup holds a slot', () => after(stateOf(waveOneFinished()), '14:40:00', { type: 'setup-started', task: WORDCOUNT.id, command: 'npm ci' }), 2],
    ['a task left running by a crash holds none until it starts again', () => after(stateOf(midWaveOne()), '14:50:00', { type: 'run-resumed', pid: 2, command: 'ccwave run' }), 0],
  ];
  it.each(cases)('%s', (_name, state, count) => {
    expect(agentsRunning(state())).toBe(count);
  });
});
