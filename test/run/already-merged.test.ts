import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { commitTurn, journal, mergedTasks, planRepo, runCcwave, runState, type PlanRepo } from './plan-repo.js';
import { runIds } from './rerun-repo.js';

/** Two waves played by the fake agent; t3 comes after the wave that builds t1 and t2. */
function threeTasks(): PlanRepo {
  return planRepo([[{ id: 't1' }, { id: 't2' }], [{ id: 't3' }]]);
}

/** Done again, a feature is built another way: its agent writes something new, which merges. */
function buildAnew(repo: PlanRepo, task: string): void {
  writeFileSync(path.join(repo.scripts, `${task}.json`), JSON.stringify({ turns: [commitTurn(`${task}.txt`, `${task}, built anew\n`)] }));
}

describe('a new run does not redo features already merged into base', () => {
  it('running a finished plan again starts nothing, merges nothing, and says why', async () => {
    const repo = threeTasks();
    expect((await runCcwave(repo, ['run', '--no-tui'])).status).toBe(0);
    expect(mergedTasks(repo)).toEqual(['t1', 't2', 't3']);
    const main = repo.git('rev-parse', 'main');
    const runs = runIds(repo);
    const t1Merge = repo.git('log', '--merges', '--format=%h', '--grep=Ccwave-Task: t1', 'main');

    const again = await runCcwave(repo, ['run', '--no-tui']);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain(`t1: already merged in ${t1Merge} (run ${runs[0]})`);
    expect(again.stderr).toMatch(/every task of this run is already merged into main: nothing to run/);
    expect(runIds(repo)).toEqual(runs);
    expect(repo.git('rev-parse', 'main')).toBe(main);
  });

  it('--dry-run lists the tasks it would skip and why, and changes nothing', async () => {
    const repo = threeTasks();
    expect((await runCcwave(repo, ['run', '--no-tui', '--wave', '1'])).status).toBe(0);
    const runs = runIds(repo);
    const t2Merge = repo.git('log', '--merges', '--format=%h', '--grep=Ccwave-Task: t2', 'main');
    const dry = await runCcwave(repo, ['run', '--dry-run', '--fresh']);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain(`  t2 (skipped: already merged in ${t2Merge} (run ${runs[0]}))`);
    expect(dry.stdout).toMatch(/^ {2}t3$/m);
    expect(dry.stdout).toMatch(/not run again, already merged into main \(`--redo <task>` runs one anyway\):\n {2}t1: already merged in \w+ \(run \S+\)\n {2}t2: /);
    expect(runIds(repo)).toEqual(runs);
    // The run of wave 1 is unfinished: resuming it decides nothing anew, so --redo is refused.
    const resumeRedo = await runCcwave(repo, ['run', '--no-tui', '--redo', 't1']);
    expect(resumeRedo.status).toBe(2);
    expect(resumeRedo.stderr).toMatch(/--redo runs tasks again in a new run, and run \S+ of this plan is not finished/);
    expect(runIds(repo)).toEqual(runs);
  });

  it('a new run after a partial one builds only what is left, on top of what base has', async () => {
    const repo = threeTasks();
    expect((await runCcwave(repo, ['run', '--no-tui', '--wave', '1'])).status).toBe(0);
    const firstRun = runIds(repo)[0]!;
    const firstRetro = repo.git('show', 'main:waves/retros/test-plan-wave-1.md');
    const rest = await runCcwave(repo, ['run', '--no-tui', '--fresh', '--json']);
    expect(rest.status).toBe(0);
    expect(mergedTasks(repo)).toEqual(['t1', 't2', 't3']);
    // Wave 1 did nothing this time: its retrospective stays the first run's; wave 2's is written beside where a full run's would go.
    const secondRun = runIds(repo).at(-1)!;
    expect(repo.git('ls-tree', '--name-only', 'main', 'waves/retros/').split('\n')).toEqual(['waves/retros/test-plan-wave-1.md', `waves/retros/test-plan-wave-2-rerun-${secondRun}.md`]);
    expect(repo.git('show', 'main:waves/retros/test-plan-wave-1.md')).toBe(firstRetro);
    // t1 and t2 are journaled as done earlier with their merge commit; their agents never start.
    const events = journal(repo);
    expect(events.filter((e) => e.type === 'agent-starting').map((e) => e.type === 'agent-starting' && e.task)).toEqual(['t3']);
    const t1Merge = repo.git('log', '--merges', '--format=%H', '--grep=Ccwave-Task: t1', 'main');
    const t1 = runState(repo).tasks.t1!;
    expect(t1).toMatchObject({ status: 'done', reason: `already merged in ${t1Merge.slice(0, 7)} (run ${firstRun})`, merge: { status: 'already-merged', mergeSha: t1Merge } });
    // --json carries the same words.
    expect(rest.stdout).toContain(`"reason":"already merged in ${t1Merge.slice(0, 7)} (run ${firstRun})"`);
    const status = ccwave(['status'], { cwd: repo.dir }).stdout;
    expect(status).toMatch(new RegExp(`t1 .*already merged in ${t1Merge.slice(0, 7)} \\(run ${firstRun}\\)`));
    const statusJson = JSON.parse(ccwave(['status', '--json'], { cwd: repo.dir }).stdout) as { run: { tasks: Array<{ id: string; reason: string | null; merge: { status: string; sha: string } }> } };
    expect(statusJson.run.tasks.find((t) => t.id === 't1')).toMatchObject({ reason: `already merged in ${t1Merge.slice(0, 7)} (run ${firstRun})`, merge: { status: 'already-merged', sha: t1Merge } });
  });

  it('--redo t1 runs t1 again, and only t1', async () => {
    const repo = threeTasks();
    expect((await runCcwave(repo, ['run', '--no-tui'])).status).toBe(0);
    buildAnew(repo, 't1');
    const redo = await runCcwave(repo, ['run', '--no-tui', '--redo', 't1']);
    expect(redo.status).toBe(0);
    expect(journal(repo).flatMap((e) => (e.type === 'agent-starting' ? [e.task] : []))).toEqual(['t1']);
    expect(mergedTasks(repo)).toEqual(['t1', 't2', 't3', 't1']);
    const redoRun = runIds(repo).at(-1)!;
    const retros = repo.git('ls-tree', '--name-only', 'main', 'waves/retros/').split('\n');
    expect(retros).toEqual(['waves/retros/test-plan-wave-1.md', `waves/retros/test-plan-wave-1-rerun-${redoRun}.md`, 'waves/retros/test-plan-wave-2.md'].sort());
    // Its retrospective names what was left out, and where it was merged.
    expect(repo.git('show', `main:waves/retros/test-plan-wave-1-rerun-${redoRun}.md`)).toMatch(/already merged in `?\w{7}`? \(run \S+\)/);
  });

  it('--redo with an id the plan does not have is a clear error naming the nearest task', async () => {
    const repo = threeTasks();
    const wrong = await runCcwave(repo, ['run', '--no-tui', '--redo', 't11']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/--redo: no task `t11` in WAVES\.md/);
    expect(wrong.stderr).toMatch(/did you mean `t1`\?/);
    expect(runIds(repo)).toEqual([]);
  });

  it('--task naming a merged feature says so, and --redo with it runs it', async () => {
    const repo = threeTasks();
    expect((await runCcwave(repo, ['run', '--no-tui'])).status).toBe(0);
    const runs = runIds(repo);
    const named = await runCcwave(repo, ['run', '--no-tui', '--task', 't2']);
    expect(named.status).toBe(0);
    expect(named.stderr).toMatch(/--task t2 is already merged in \w+ \(run \S+\): add `--redo t2` to run it again/);
    expect(runIds(repo)).toEqual(runs);
    buildAnew(repo, 't2');
    const both = await runCcwave(repo, ['run', '--no-tui', '--task', 't2', '--redo', 't2']);
    expect(both.status).toBe(0);
    expect(mergedTasks(repo)).toEqual(['t1', 't2', 't3', 't2']);
  });
});
