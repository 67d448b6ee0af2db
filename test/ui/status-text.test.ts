import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/ui/status-text.js';
import { BASE, iso, journal, runStarted, stateOf, SLUGIFY, WORDCOUNT } from './helpers/journal.js';

const interrupted = () =>
  stateOf(
    journal(
      ['09:00:00', runStarted([[SLUGIFY, WORDCOUNT]], 'Textkit')],
      ['09:00:01', { type: 'wave-started', wave: 1, fromSha: BASE }],
      ['09:00:02', { type: 'worktree-created', task: SLUGIFY.id, path: '/work/my repo.ccwave/r1/slugify', branch: 'ccwave/r1/w1/slugify', fromSha: BASE }],
      ['09:00:05', { type: 'agent-starting', task: SLUGIFY.id, attempt: 1, sessionId: 's1', resume: false, agent: 'claude' }],
      ['09:00:06', { type: 'agent-state', task: SLUGIFY.id, state: 'working' }],
      ['09:01:00', { type: 'run-interrupted', reason: 'received SIGINT', signal: 'SIGINT' }],
    ),
  );

describe('formatStatus', () => {
  it('shows a task an interrupt cut short as stopped, and where it worked', () => {
    const text = formatStatus({ state: interrupted(), activity: { kind: 'interrupted', reason: 'received SIGINT' }, warnings: [], now: new Date(iso('10:00:00')) });
    expect(text).toMatch(/^ {2}■ feature-001-slugify +stopped \(was working\) /m);
    expect(text).toContain('Wave 1 · stopped (1 stopped · 1 pending)');
    expect(text).toContain("      worktree '/work/my repo.ccwave/r1/slugify' · branch ccwave/r1/w1/slugify\n");
  });

  it('still shows it running while the run is live', () => {
    const live = { kind: 'live' as const, pid: 1, hostname: 'h', command: 'ccwave run', since: iso('09:00:00'), certain: true };
    const text = formatStatus({ state: { ...interrupted(), status: 'running' }, activity: live, warnings: [], now: new Date(iso('09:02:00')) });
    expect(text).toMatch(/^ {2}▸ feature-001-slugify +working /m);
  });
});
