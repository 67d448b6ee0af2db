import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { journal, mergedTasks, runCcwave, runState, spawnCcwave } from './plan-repo.js';
import { ccwave } from '../helpers/cli.js';
import { failingRepo, runIds } from './rerun-repo.js';
import { until } from './stop-helpers.js';

describe('running again only what failed', () => {
  it('--only-failed runs just the tasks that did not merge, and the summary says how', async () => {
    const { repo, env, fix } = failingRepo([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    const first = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(first.status).toBe(1);
    expect(mergedTasks(repo)).toEqual(['a', 'c']);
    const firstRetro = repo.git('show', 'main:waves/retros/test-plan-wave-1.md');
    // Read in the morning, status says the same.
    expect(ccwave(['status'], { cwd: repo.dir }).stdout).toMatch(/^Not merged yet: b, d; to run only them again: ccwave run WAVES\.md --only-failed$/m);
    expect(first.stdout).toMatch(/to run again only the 2 tasks that did not merge \(b, d\):\n\s+ccwave run WAVES\.md --only-failed\n/);

    // Only b is fixed: the rerun merges b, and d fails again.
    fix('b');
    const second = await runCcwave(repo, ['run', 'WAVES.md', '--no-tui', '--only-failed'], env);
    expect(second.stderr).toMatch(/running again the 2 tasks of run \S+ that did not merge: b, d/);
    expect(second.status).toBe(1);
    expect(Object.keys(runState(repo).tasks).sort()).toEqual(['b', 'd']);
    expect(mergedTasks(repo)).toEqual(['a', 'c', 'b']);
    // The first run's retrospectives stay; the rerun writes its own beside them.
    const rerunId = runIds(repo).at(-1)!;
    expect(repo.git('ls-tree', '--name-only', 'main', 'waves/retros/').split('\n')).toEqual(
      ['waves/retros/test-plan-wave-1.md', `waves/retros/test-plan-wave-1-rerun-${rerunId}.md`, 'waves/retros/test-plan-wave-2.md', `waves/retros/test-plan-wave-2-rerun-${rerunId}.md`].sort(),
    );
    expect(repo.git('show', 'main:waves/retros/test-plan-wave-1.md')).toBe(firstRetro);
    expect(second.stdout).toMatch(/to run again only the task that did not merge \(d\):\n\s+ccwave run WAVES\.md --only-failed\n/);
    expect(ccwave(['status'], { cwd: repo.dir }).stdout).toMatch(/^Tasks: +only b, d \(run \S+ did not merge them\)$/m);

    fix('d');
    const third = await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env);
    expect(third.status).toBe(0);
    expect(Object.keys(runState(repo).tasks)).toEqual(['d']);
    expect(mergedTasks(repo)).toEqual(['a', 'c', 'b', 'd']);
    expect(third.stdout).not.toMatch(/--only-failed/);
    expect(ccwave(['status'], { cwd: repo.dir }).stdout).not.toMatch(/Not merged yet/);

    // Nothing is left to run again: said so, and no run is started.
    const runs = runIds(repo);
    const none = await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env);
    expect(none.status).toBe(0);
    expect(none.stderr).toMatch(/every task merged in the last run of this plan \(\S+\): nothing to run again/);
    expect(runIds(repo)).toEqual(runs);
  });

  it('a task left out by a single-task rerun is still taken by the next --only-failed', async () => {
    const { repo, env, fix } = failingRepo([['a', 'b', 'd']]);
    expect((await runCcwave(repo, ['run', '--no-tui'], env)).status).toBe(1);
    fix('b');
    const single = await runCcwave(repo, ['run', '--no-tui', '--task', 'b'], env);
    expect(single.status).toBe(0);
    expect(Object.keys(runState(repo).tasks)).toEqual(['b']);
    fix('d');
    const rest = await runCcwave(repo, ['run', '--no-tui', '--only-failed'], env);
    expect(rest.status).toBe(0);
    expect(Object.keys(runState(repo).tasks)).toEqual(['d']);
    expect(mergedTasks(repo)).toEqual(['a', 'b', 'd']);
  });

  it('an interrupted rerun is resumed by a plain `ccwave run` with the same tasks', async () => {
    const { repo, env, fixedDir, fix } = failingRepo([['a', 'b'], ['c']]);
    expect((await runCcwave(repo, ['run', '--no-tui'], env)).status).toBe(1);
    fix('b');
    const hold = path.join(fixedDir, 'hold-b');
    writeFileSync(hold, '');
    const rerun = spawnCcwave(repo, ['run', '--no-tui', '--only-failed'], env);
    const firstRun = runIds(repo);
    await until(() => runIds(repo).length > firstRun.length && journal(repo).some((e) => e.type === 'agent-starting' && e.task === 'b'), 'b to start again');
    rerun.child.kill('SIGINT');
    expect((await rerun.exited).status).toBe(130);
    rmSync(hold);
    const resumed = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(resumed.stderr).toMatch(/resuming run/);
    expect(resumed.status).toBe(0);
    expect(Object.keys(runState(repo).tasks)).toEqual(['b']);
    expect(mergedTasks(repo)).toEqual(['a', 'c', 'b']);
  });
});
