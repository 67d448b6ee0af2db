import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { mergedTasks, runCcwave, runState } from './plan-repo.js';
import { failingRepo, runIds } from './rerun-repo.js';

describe('choosing the tasks of a run by name, and what is refused', () => {
  it("--only-failed refuses while the last run's merges are not on the base branch, and says how to land them", async () => {
    const { repo, env, fix } = failingRepo([['a', 'b']]);
    // A checkout with uncommitted changes is never touched: the landing is refused.
    writeFileSync(path.join(repo.dir, 'README.md'), '# edited\n');
    const first = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/once it is landed, to run again only the task that did not merge \(b\):\n\s+ccwave run WAVES\.md --only-failed/);
    expect(mergedTasks(repo)).toEqual([]);
    fix('b');
    const runs = runIds(repo);
    const refused = await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/what run \S+ merged is not on main \(its landing was refused: .*uncommitted changes.*\)/);
    const command = /hint: land it first: (.*), then run this again/.exec(refused.stderr)?.[1];
    expect(runIds(repo)).toEqual(runs);

    repo.git('checkout', 'README.md');
    execFileSync('sh', ['-c', command!], { cwd: repo.dir });
    expect(mergedTasks(repo)).toEqual(['a']);
    expect((await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env)).status).toBe(0);
    expect(mergedTasks(repo)).toEqual(['a', 'b']);
  });

  it('--task is repeatable; an unknown id is refused with the valid ones, exit 2, nothing changed', async () => {
    const { repo, env } = failingRepo([['a', 'b'], ['c']]);
    const refs = repo.git('for-each-ref');
    const unknown = await runCcwave(repo, ['run', '--no-tui', '--task', 'a', '--task', 'nope'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/no task `nope` in WAVES\.md/);
    expect(unknown.stderr).toMatch(/a, b, c/);
    expect(runIds(repo)).toEqual([]);
    expect(repo.git('for-each-ref')).toBe(refs);

    const dry = await runCcwave(repo, ['run', '--dry-run', '--task', 'c'], env);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toMatch(/^Wave 2:\n {2}c\n/m);
    expect(dry.stdout).not.toMatch(/^ {2}[ab]$/m);
    expect(runIds(repo)).toEqual([]);

    const two = await runCcwave(repo, ['run', '--no-tui', '--task', 'a', '--task', 'c'], env);
    expect(two.status).toBe(0);
    expect(Object.keys(runState(repo).tasks).sort()).toEqual(['a', 'c']);
    expect(mergedTasks(repo)).toEqual(['a', 'c']);
  });

  it('--only-failed without a finished run says what to do instead, exit 2, nothing changed', async () => {
    const { repo, env } = failingRepo([['a', 'b'], ['c']]);
    const never = await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env);
    expect(never.status).toBe(2);
    expect(never.stderr).toMatch(/no earlier run of WAVES\.md/);
    expect(runIds(repo)).toEqual([]);

    // A partial run stays unfinished: the next `ccwave run` resumes it rather than start over.
    expect((await runCcwave(repo, ['run', '--no-tui', '--wave', '1'], env)).status).toBe(1);
    const runs = runIds(repo);
    const unfinished = await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env);
    expect(unfinished.status).toBe(2);
    expect(unfinished.stderr).toMatch(/run \S+ of this plan is not finished/);
    expect(unfinished.stderr).toMatch(/ccwave run WAVES\.md` resumes it/);
    // Status names the plan the way it is typed, as the hint does.
    expect(ccwave(['status'], { cwd: repo.dir }).stdout).toMatch(/^Resume with: ccwave run WAVES\.md$/m);
    expect(runIds(repo)).toEqual(runs);
  });
});
