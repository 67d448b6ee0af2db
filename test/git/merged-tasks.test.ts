import { describe, expect, it } from 'vitest';
import { mergedTasks, parseMergedTasks } from '../../src/git/merged-tasks.js';
import { Repo } from '../../src/git/repo.js';
import { mergeMessage } from '../../src/git/trailers.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

const RUN_A = '20261201-090000-aaaa';
const RUN_B = '20261202-090000-bbbb';

/** A task branch from main with one commit; returns its tip. */
function taskBranch(r: TestRepo, branch: string, file: string): string {
  r.git('switch', '--quiet', '-c', branch, 'main');
  const tip = r.commit({ [file]: `${branch}\n` }, `work on ${branch}`);
  r.git('switch', '--quiet', 'main');
  return tip;
}

/** A `--no-ff` merge of `tip` into main with the message ccwave writes; returns the merge's sha. */
function ccwaveMerge(r: TestRepo, tip: string, task: string, run: string, namedTip = tip): string {
  r.git('merge', '--quiet', '--no-ff', '-m', mergeMessage(`Merge ${task}`, { task, run, tip: namedTip }), tip);
  return r.sha('HEAD');
}

async function merged(r: TestRepo, rev = 'main'): Promise<Record<string, { mergeSha: string; runId: string }>> {
  return Object.fromEntries(await mergedTasks(await Repo.open(r.dir), r.sha(rev)));
}

describe('mergedTasks', () => {
  it('finds each task ccwave merged into base, with its merge commit and run', async () => {
    const r = makeRepo();
    const m1 = ccwaveMerge(r, taskBranch(r, 't1', 'one.txt'), 't1', RUN_A);
    const m2 = ccwaveMerge(r, taskBranch(r, 't2', 'two.txt'), 't2', RUN_A);
    expect(await merged(r)).toEqual({ t1: { mergeSha: m1, runId: RUN_A }, t2: { mergeSha: m2, runId: RUN_A } });
  });

  it('finds nothing in a history without ccwave merges', async () => {
    const r = makeRepo();
    const tip = taskBranch(r, 'feature', 'f.txt');
    r.git('merge', '--quiet', '--no-ff', '-m', 'Merge branch feature', tip);
    expect(await merged(r)).toEqual({});
  });

  it('ignores trailers an agent forged on its own commits, even a merge naming its real second parent', async () => {
    const r = makeRepo();
    r.git('switch', '--quiet', '-c', 't3', 'main');
    r.commit({ 'three.txt': 'three\n' }, 'work on t3');
    const side = taskBranch(r, 'side', 'side.txt');
    r.git('switch', '--quiet', 't3');
    // The agent's branch holds a merge that looks exactly like one ccwave makes, for another task.
    r.git('merge', '--quiet', '--no-ff', '-m', mergeMessage('Merge t9', { task: 't9', run: RUN_A, tip: side }), side);
    r.commit({ 'plain.txt': 'x\n' }, `plain\n\nCcwave-Task: t8\nCcwave-Run: ${RUN_A}\nCcwave-Tip: ${side}`);
    const tip = r.sha('HEAD');
    r.git('switch', '--quiet', 'main');
    const m3 = ccwaveMerge(r, tip, 't3', RUN_A);
    expect(await merged(r)).toEqual({ t3: { mergeSha: m3, runId: RUN_A } });
  });

  it('keeps the newest merge of a task merged twice', async () => {
    const r = makeRepo();
    ccwaveMerge(r, taskBranch(r, 't1', 'one.txt'), 't1', RUN_A);
    const again = ccwaveMerge(r, taskBranch(r, 't1-again', 'again.txt'), 't1', RUN_B);
    expect(await merged(r)).toEqual({ t1: { mergeSha: again, runId: RUN_B } });
  });

  it('does not count a merge whose second parent is not the tip it names', async () => {
    const r = makeRepo();
    const other = taskBranch(r, 'other', 'other.txt');
    ccwaveMerge(r, taskBranch(r, 't1', 'one.txt'), 't1', RUN_A, other);
    expect(await merged(r)).toEqual({});
  });

  it('does not count a commit missing one of the three trailers, nor a non-merge commit carrying all three', async () => {
    const r = makeRepo();
    const tip = taskBranch(r, 't1', 'one.txt');
    r.git('merge', '--quiet', '--no-ff', '-m', `Merge t1\n\nCcwave-Task: t1\nCcwave-Tip: ${tip}`, tip);
    r.commit({ 'squash.txt': 's\n' }, `squashed t2\n\nCcwave-Task: t2\nCcwave-Run: ${RUN_A}\nCcwave-Tip: ${tip}`);
    expect(await merged(r)).toEqual({});
  });

  it('reads only what base reaches: not a later merge, nor one on another branch', async () => {
    const r = makeRepo();
    const m1 = ccwaveMerge(r, taskBranch(r, 't1', 'one.txt'), 't1', RUN_A);
    const t2 = taskBranch(r, 't2', 'two.txt');
    r.git('switch', '--quiet', '-c', 'elsewhere', 'main');
    ccwaveMerge(r, t2, 't2', RUN_A);
    r.git('switch', '--quiet', 'main');
    ccwaveMerge(r, taskBranch(r, 't3', 'three.txt'), 't3', RUN_A);
    expect(await merged(r, `${m1}`)).toEqual({ t1: { mergeSha: m1, runId: RUN_A } });
    expect(Object.keys(await merged(r)).sort()).toEqual(['t1', 't3']);
  });

  it('skips records that are not whole', () => {
    expect(parseMergedTasks('')).toEqual(new Map());
    expect(parseMergedTasks('abc\x1e\n\x1fdef\x1e')).toEqual(new Map());
  });
});
