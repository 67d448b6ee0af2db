import { describe, expect, it } from 'vitest';
import { runActivity, type RunState } from '../../src/journal/index.js';
import { formatStatus } from '../../src/ui/status-text.js';
import { BASE, journal, runStarted, sha, stateOf } from './helpers/journal.js';

const LONG_ID = 'feature-042-import-the-quarterly-ledgers-from-csv';
const RETRO = 'waves/retros/importing-and-reconciling-the-quarterly-ledgers-wave-1.md';

function finished(upTo = Infinity): RunState {
  const started = runStarted([[{ id: LONG_ID, title: 'Ledgers' }]], 'Importing and reconciling the quarterly ledgers');
  if (started.type !== 'run-started') throw new Error('fixture');
  const named = { ...started, waves: started.waves.map((wave) => ({ ...wave, name: 'Wave 1: first steps' })) };
  return stateOf(
    journal(
      ['09:00:00', named],
      ['09:00:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ['09:00:02', { type: 'agent-starting', task: LONG_ID, attempt: 1, sessionId: 's', resume: false, agent: 'command' }],
      ['09:10:00', { type: 'task-finished', task: LONG_ID, status: 'done', tipSha: sha('1'), commits: 1 }],
      ['09:10:01', { type: 'merge-done', task: LONG_ID, tip: sha('1'), result: 'merged', mergeSha: sha('2'), integrationSha: sha('2') }],
      ['09:10:02', { type: 'retro-written', wave: 1, path: RETRO, sha: sha('3') }],
      ['09:10:03', { type: 'wave-finished', wave: 1, integrationSha: sha('3') }],
      ['09:10:04', { type: 'run-finished', exitCode: 0 }],
    ).slice(0, upTo),
  );
}

function status(width?: number): string {
  const state = finished();
  return formatStatus({ state, activity: runActivity(state, undefined), warnings: [], now: new Date('2026-11-23T12:00:00Z'), ...(width ? { width } : {}) });
}

describe('ccwave status text', () => {
  it('is not cut without a terminal: the wave named once, its retrospective path and the task id whole', () => {
    const text = status();
    expect(text).not.toContain('…');
    expect(text).toContain(`\nWave 1: first steps · finished (1 merged) · retro ${RETRO}\n`);
    expect(text).toMatch(new RegExp(`^ +\\S+ ${LONG_ID} +merged\\b`, 'm'));
  });

  it('shows a command agent running, not "starting"', () => {
    const state = finished(3);
    // A live run: without one, a task still marked running was cut short and shows "stopped".
    const activity = { kind: 'live' as const, pid: 1, hostname: 'h', command: 'ccwave run', since: '2026-11-23T09:00:00Z', certain: true };
    const text = formatStatus({ state, activity, warnings: [], now: new Date('2026-11-23T09:05:00Z') });
    expect(text).toMatch(new RegExp(`${LONG_ID} +running\\b`));
  });

  it('fits a terminal it is given', () => {
    for (const line of status(80).trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });
});
