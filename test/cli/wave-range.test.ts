import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRepo, runCcwave, type PlanRepo } from '../run/plan-repo.js';

/** Everything a run could have created: refs, worktrees, run data. */
function gitFootprint(repo: PlanRepo): string {
  return [repo.git('for-each-ref', '--format=%(refname) %(objectname)'), repo.git('worktree', 'list', '--porcelain'), repo.git('status', '--porcelain')].join('\n');
}

describe('ccwave run --wave / --from', () => {
  it.each([
    { args: ['--wave', '9'], says: /the plan has 2 waves/, valid: /--wave 1\b/ },
    { args: ['--wave', '1', '--from', '2'], says: /--wave and --from/, valid: /--wave n runs only wave n/ },
    { args: ['--from', '2'], says: /would skip wave 1, which has not finished/, valid: /--from 1\b/ },
    { args: ['--wave', '2'], says: /would skip wave 1, which has not finished/, valid: /--wave 1\b/ },
    { args: ['--from', '3', '--dry-run'], says: /the plan has 2 waves/, valid: /--from 1\b/ },
  ])('refuses $args with the valid range, exit 2 and nothing created', async ({ args, says, valid }) => {
    const repo = planRepo([[{ id: 'task-a' }], [{ id: 'task-b' }]]);
    const before = gitFootprint(repo);
    const result = await runCcwave(repo, ['run', '--no-tui', ...args]);
    expect(result.stderr).toMatch(says);
    expect(result.stderr).toMatch(valid);
    expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(result.status).toBe(2);
    expect(gitFootprint(repo)).toBe(before);
    expect(existsSync(path.join(repo.dir, '.git/ccwave/runs'))).toBe(false);
  });

  it('takes --from 2 once wave 1 has finished, and still refuses a wave the plan lacks', async () => {
    const repo = planRepo([[{ id: 'task-a' }], [{ id: 'task-b' }]]);
    const first = await runCcwave(repo, ['run', '--no-tui', '--wave', '1']);
    expect(first.status).toBe(0);
    const dry = await runCcwave(repo, ['run', '--no-tui', '--from', '2', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('task-b');
    const beyond = await runCcwave(repo, ['run', '--no-tui', '--wave', '3']);
    expect(beyond.status).toBe(2);
    expect(beyond.stderr).toMatch(/--wave 1 to 2/);

    // Once that run is over, a new run may still start at a wave whose predecessors it finished
    // (here it would leave out task-b, now merged into main, unless told to redo it).
    expect((await runCcwave(repo, ['run', '--no-tui', '--from', '2'])).status).toBe(0);
    const again = await runCcwave(repo, ['run', '--no-tui', '--wave', '2', '--dry-run', '--redo', 'task-b']);
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('would start a new run');
  });
});
