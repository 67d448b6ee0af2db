import { describe, expect, it } from 'vitest';
import type { RunState } from '../../src/journal/index.js';
import { retroFileOf } from '../../src/report/retro-destination.js';
import { BASE_SHA, journalFrom, runStartedEvent, stateOf } from '../helpers/journal.js';

/** A run whose wave 1 finished, its retrospective committed at `retroPath` when given. */
function state(retroPath: string | undefined, dir: string): RunState {
  return stateOf(
    journalFrom([
      runStartedEvent([[]], { planName: 'My plan', settings: { retro: { dir } } }),
      { type: 'wave-started', wave: 1, fromSha: BASE_SHA },
      ...(retroPath ? [{ type: 'retro-written', wave: 1, path: retroPath, sha: 'a'.repeat(40) } as const] : []),
      { type: 'wave-finished', wave: 1, integrationSha: BASE_SHA },
    ]),
  );
}

describe('where `ccwave retro` writes a wave', () => {
  it('where the run committed it, else in the retro folder', () => {
    const s = state('docs/retros/my-plan-wave-1.md', 'waves/retros');
    expect(retroFileOf(s, s.waves[0]!, undefined)).toBe('docs/retros/my-plan-wave-1.md');
    const t = state(undefined, 'notes');
    expect(retroFileOf(t, t.waves[0]!, undefined)).toBe('notes/my-plan-wave-1.md');
    expect(retroFileOf(t, t.waves[0]!, 'from-plan')).toBe('from-plan/my-plan-wave-1.md');
  });

  it('never outside the repository, whatever a damaged journal says', () => {
    for (const [path, dir] of [
      ['../outside.md', '/etc'],
      ['.git/hooks/pre-commit', '../..'],
      ['/etc/passwd', '.git'],
    ] as const) {
      const s = state(path, dir);
      expect(retroFileOf(s, s.waves[0]!, undefined)).toBe('waves/retros/my-plan-wave-1.md');
    }
  });
});
