import { renameSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/shell-word.js';
import { waveSummaryLine } from '../../src/ui/format/waves.js';
import { stateOf, waveOneFinished } from './helpers/journal.js';
import { git } from '../helpers/git.js';
import { planRepo, runCcwave, type PlanRepo } from '../run/plan-repo.js';

describe('printed paths', () => {
  it('are quoted when a shell would split them, so they can be pasted', async () => {
    const made = planRepo([[{ id: 'a' }]]);
    const dir = path.join(path.dirname(made.dir), "my project's copy");
    renameSync(made.dir, dir);
    const repo: PlanRepo = { ...made, dir, git: (...args) => git(dir, ...args) };
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const quoted = shellWord(dir);
    expect(quoted).toBe(`'${dir.replace("'", `'\\''`)}'`);
    expect(result.stdout).toMatch(new RegExp(`^Logs: +${escape(quoted.slice(0, -1))}/\\.git/ccwave/runs/[^/]+/tasks'$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^Journal: +${escape(quoted.slice(0, -1))}/\\.git/ccwave/runs/[^/]+/journal\\.jsonl'$`, 'm'));

    const retro = await runCcwave(repo, ['retro']);
    expect(retro.stdout.split('\n')[0]).toMatch(new RegExp(`^${escape(shellWord(path.join(dir, 'waves/retros/test-plan-wave-1.md')))}( \\(unchanged\\))?$`));

    const clean = await runCcwave(repo, ['clean', '--dry-run']);
    expect(clean.stdout).toContain(`would remove worktree ${quoted.slice(0, -1)}.ccwave/`);
  });

  it("are quoted in the TUI's line of a finished wave too", () => {
    const events = waveOneFinished().map((e) => (e.type === 'retro-written' ? { ...e, path: 'waves/my retros/wave 1.md' } : e));
    const state = stateOf(events);
    expect(waveSummaryLine(state, state.waves[0]!, () => '14:28')).toMatch(/ · retro 'waves\/my retros\/wave 1\.md'$/);
  });

  it('are left bare when nothing in them needs quoting', () => {
    expect(shellWord('/home/me/src/app/.git/ccwave/runs/20261202-043016-a475/tasks')).toBe('/home/me/src/app/.git/ccwave/runs/20261202-043016-a475/tasks');
    expect(shellWord('waves/retros/my-plan-wave-1.md')).toBe('waves/retros/my-plan-wave-1.md');
    expect(shellWord('a b')).toBe("'a b'");
    expect(shellWord('$HOME')).toBe("'$HOME'");
    expect(shellWord('')).toBe("''");
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
