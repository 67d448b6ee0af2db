import { describe, expect, it } from 'vitest';
import { initialRunState, type RunState } from '../../src/journal/run-state.js';
import { retroFileOf } from '../../src/report/retro-destination.js';

function state(retroPath: string | undefined, dir: unknown): RunState {
  const wave = { index: 1, name: 'Wave 1', taskIds: [], status: 'finished' as const, ...(retroPath ? { retro: { path: retroPath, sha: 'a'.repeat(40) } } : {}) };
  return { ...initialRunState(), runId: 'r1', planName: 'My plan', settings: { retro: { dir } as never }, waves: [wave] };
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
    for (const [path, dir] of [['../outside.md', '/etc'], ['.git/hooks/pre-commit', '../..'], ['/etc/passwd', '.git']] as const) {
      const s = state(path, dir);
      expect(retroFileOf(s, s.waves[0]!, undefined)).toBe('waves/retros/my-plan-wave-1.md');
    }
  });
});
