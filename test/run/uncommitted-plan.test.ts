import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { tempDir } from '../helpers/temp.js';
import { mergedTasks, planRepo, runCcwave, runState } from './plan-repo.js';

describe('a plan that is not committed yet (the first hour after init)', () => {
  it('is warned about before the run, with what it means; the landing refusal names the untracked files', async () => {
    const repo = planRepo([[{ id: 'one' }]]);
    // As after `ccwave init` and editing: the plan and its feature are files git does not track.
    repo.git('rm', '-q', '--cached', '-r', 'WAVES.md', 'feature-management');
    repo.git('commit', '-qm', 'untrack the plan');
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.stderr).toMatch(/warning: WAVES\.md and 1 feature prompt \(feature-management\/features\/one\/PROMPT\.md\) are not committed/);
    expect(result.stderr).toMatch(/worktrees .* from main's last commit/);
    expect(result.stderr).toMatch(/the landing on main will be refused while they are there/);
    expect(result.stderr).toMatch(/git add -- WAVES\.md feature-management\/features\/one\/PROMPT\.md && git commit/);
    expect(result.status).toBe(0);
    // The task merged; only the landing waits.
    expect(runState(repo).tasks.one!.merge?.status).toBe('merged');
    expect(mergedTasks(repo)).toEqual([]);
    const why = runState(repo).landRefusal!.why;
    expect(why).toMatch(/untracked files \(WAVES\.md, feature-management\/\), which ccwave never touches; none is in the way, so landing by hand keeps them as they are/);
    expect(why).not.toMatch(/uncommitted changes/);
    // main is checked out right there: the command lands into that checkout, no `git switch`.
    expect(result.stdout).toMatch(/to land it: git -C \S+ merge --ff-only ccwave\/\S+\/integration\n/);
    expect(result.stdout).not.toMatch(/git switch main/);
    // The retrospective is on the run's branch until then, and the summary says so.
    expect(result.stdout).toMatch(/Retrospectives: waves\/retros\/test-plan-wave-1\.md \(on ccwave\/\S+\/integration, not landed\)/);

    // The command works as printed, from anywhere, and the plan's files are still there after.
    const command = /to land it: (.*)\n/.exec(result.stdout)![1]!;
    execFileSync('sh', ['-c', command], { cwd: tempDir() });
    expect(mergedTasks(repo)).toEqual(['one']);
    expect(readFileSync(path.join(repo.dir, 'one.txt'), 'utf8')).toBe('one.txt\n');
    expect(repo.git('status', '--porcelain')).toBe('?? WAVES.md\n?? feature-management/');
  });

  it('says nothing when the plan is committed', async () => {
    const repo = planRepo([[{ id: 'one' }]]);
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/not committed/);
  });
});
