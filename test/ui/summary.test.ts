import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/ui/summary.js';
import { BASE, journal, runStarted, sha, stateOf, CSV, JSON_EXPORT, SLUGIFY, TRUNCATE, WORDCOUNT } from './helpers/journal.js';

const small = () =>
  stateOf(
    journal(
      [
        '09:00:00',
        runStarted(
          [
            [SLUGIFY, WORDCOUNT, TRUNCATE],
            [CSV, JSON_EXPORT],
          ],
          'Textkit',
        ),
      ],
      ['09:00:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ['09:00:05', { type: 'agent-starting', task: SLUGIFY.id, attempt: 1, sessionId: 's1', resume: false, agent: 'claude' }],
      ['09:00:06', { type: 'agent-starting', task: WORDCOUNT.id, attempt: 1, sessionId: 's2', resume: false, agent: 'claude' }],
      ['09:00:07', { type: 'agent-starting', task: TRUNCATE.id, attempt: 1, sessionId: 's3', resume: false, agent: 'claude' }],
      ['09:12:09', { type: 'task-finished', task: SLUGIFY.id, status: 'done', tipSha: sha('5151515'), commits: 3 }],
      ['09:10:06', { type: 'task-finished', task: WORDCOUNT.id, status: 'timeout', reason: 'idle timeout (10m)', commits: 0 }],
      ['09:40:07', { type: 'task-finished', task: TRUNCATE.id, status: 'done', tipSha: sha('3333333'), commits: 1 }],
      ['09:40:10', { type: 'merge-done', task: SLUGIFY.id, tip: sha('5151515'), result: 'merged', mergeSha: sha('a1b2c3d'), integrationSha: sha('a1b2c3d') }],
      ['09:40:11', { type: 'merge-skipped', task: TRUNCATE.id, result: 'conflict', conflictedPaths: ['src/truncate.ts'] }],
      ['09:41:00', { type: 'retro-written', wave: 1, path: 'waves/retro-wave-1.md', sha: sha('e1e1e1e') }],
      ['09:41:01', { type: 'wave-finished', wave: 1, integrationSha: sha('e1e1e1e') }],
      ['09:41:02', { type: 'run-interrupted', reason: 'SIGINT', signal: 'SIGINT' }],
    ),
  );

describe('formatSummary', () => {
  it('tabulates every task and says where to look next', () => {
    expect(formatSummary(small(), { logsDir: '/repo/.git/ccwave/r1/logs', journal: '/repo/.git/ccwave/r1/journal.jsonl' }, 80)).toBe(
      [
        'Textkit: interrupted · 5 tasks: 1 merged · 2 failed · 2 pending · 41m02s',
        '',
        'TASK                       TIME  COMMITS  MERGED  STATUS',
        'feature-001-slugify      12m04s        3  yes     ● merged',
        'feature-002-wordcount    10m00s        0  -       ◷ failed: idle timeout (10m)',
        'feature-003-truncate     40m00s        1  no      ≠ conflict: src/truncate.ts',
        'feature-005-csv               -        -  -       · pending',
        'feature-004-json-export       -        -  -       · pending',
        '',
        'Retrospectives: waves/retro-wave-1.md',
        'Logs:           /repo/.git/ccwave/r1/logs',
        'Journal:        /repo/.git/ccwave/r1/journal.jsonl',
        '',
      ].join('\n'),
    );
  });

  it('fits a terminal of 80 columns, moving a long reason under its row rather than cutting it', () => {
    const text = formatSummary(small(), { logsDir: 'logs' }, 80);
    for (const line of text.split('\n').filter((l) => !l.startsWith('  ↳'))) expect([...line].length).toBeLessThanOrEqual(80);
    const narrow = formatSummary(small(), { logsDir: 'logs' }, 64);
    expect(narrow).toContain('TASK                       TIME  COMMITS  MERGED  STATUS\n');
    expect(narrow).toContain('feature-002-wordcount    10m00s        0  -\n  ↳ ◷ failed: idle timeout (10m)\n');
  });

  it('cuts nothing without a terminal width: ids in full, every reason on its row', () => {
    const text = formatSummary(small(), { logsDir: 'logs' });
    expect(text).not.toContain('…');
    expect(text).not.toContain('↳');
    expect(text).toContain('feature-003-truncate     40m00s        1  no      ≠ conflict: src/truncate.ts\n');
  });

  it('calls a task the agent finished what its merge made of it, as the header counts it', () => {
    const text = formatSummary(small(), { logsDir: 'logs' });
    // One merged, two failed (a timeout and a conflict): the rows say the same.
    expect(text).toMatch(/1 merged · 2 failed/);
    expect(text).toMatch(/^feature-001-slugify +.* ● merged$/m);
    expect(text).toMatch(/^feature-003-truncate +.* ≠ conflict: /m);
    expect(text).not.toMatch(/ done /);
  });

  it('shows the tasks an interrupt cut short as stopped, not running', () => {
    const state = stateOf(
      journal(
        ['09:00:00', runStarted([[SLUGIFY, WORDCOUNT]], 'Textkit')],
        ['09:00:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
        ['09:00:05', { type: 'agent-starting', task: SLUGIFY.id, attempt: 1, sessionId: 's1', resume: false, agent: 'claude' }],
        ['09:00:06', { type: 'agent-state', task: SLUGIFY.id, state: 'working' }],
        ['09:01:00', { type: 'run-interrupted', reason: 'received SIGINT', signal: 'SIGINT' }],
      ),
    );
    const text = formatSummary(state, { logsDir: 'logs' });
    expect(text).toMatch(/^Textkit: interrupted · 2 tasks: 1 stopped · 1 pending/);
    expect(text).toMatch(/^feature-001-slugify +.* ■ stopped /m);
    expect(text).not.toMatch(/running/);
  });

  it('points at the retrospectives folder before any was written', () => {
    const state = stateOf(journal(['09:00:00', runStarted([[SLUGIFY]])]));
    expect(formatSummary(state, { logsDir: 'logs', retrospectivesDir: 'waves' })).toContain('Retrospectives: waves (none written yet)\nLogs:           logs\n');
  });
});
