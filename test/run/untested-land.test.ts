import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergedTasks, planRepo, runCcwave, runState, type PlanRepo } from './plan-repo.js';

/** A command agent: commits `<task>.txt`; the task `fix` also removes the file that fails the tests. */
const AGENT = [
  'sh',
  '-c',
  'printf "%s\\n" "$CCWAVE_TASK_ID" > "$CCWAVE_TASK_ID.txt" && if [ "$CCWAVE_TASK_ID" = fix ]; then git rm -q BROKEN; fi && git add -A && git commit -qm "work on $CCWAVE_TASK_ID"',
];
/** The project's tests fail while BROKEN is in the tree. */
const SETTINGS = { agent: AGENT, test: 'test ! -e BROKEN', testRetries: 1 };

function brokenBase(waves: string[][]): PlanRepo {
  const repo = planRepo(
    waves.map((ids) => ids.map((id) => ({ id }))),
    SETTINGS,
  );
  // The base itself fails the tests.
  writeFileSync(path.join(repo.dir, 'BROKEN'), 'x\n');
  repo.git('add', 'BROKEN');
  repo.git('commit', '-qm', 'a commit that breaks the tests');
  return repo;
}

describe('a base that fails its tests', () => {
  it('is never moved: the work is kept on the integration branch, and the summary says why it did not land', async () => {
    const repo = brokenBase([['one'], ['two']]);
    const before = repo.git('rev-parse', 'main');
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.stderr).toBe('');
    // The merges went in ungated, so the tasks are unverified.
    expect(result.status).toBe(1);
    expect(repo.git('rev-parse', 'main')).toBe(before);
    const state = runState(repo);
    expect(state.land).toBeUndefined();
    expect(mergedTasks(repo, state.integration!.branch)).toEqual(['one', 'two']);
    // Both waves, the second forked from the first's unverified tip.
    for (const wave of [1, 2]) {
      expect(result.stdout).toMatch(
        new RegExp(`wave ${wave} was not landed on main: the tests failed on the wave's start [0-9a-f]{7} \\(2 runs\\), so its merges went in untested; main only moves to a tree that passed`),
      );
    }
    expect(result.stdout).toMatch(/to land it: git -C \S+ merge --ff-only ccwave\//);
  });

  it('lands a later wave whose own start passes: the tree that lands passed the tests', async () => {
    const repo = brokenBase([['fix'], ['two']]);
    const before = repo.git('rev-parse', 'main');
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.stderr).toBe('');
    const state = runState(repo);
    // Wave 1 did not land (its start failed), but wave 2's landing brought its result along:
    // nothing is left to land by hand, and wave 1's merges are still listed as unverified.
    expect(result.stdout).not.toMatch(/was not landed/);
    expect(result.stdout).toMatch(/fix: unverified: the tests already failed before the merge/);
    expect(result.status).toBe(1);
    expect(repo.git('rev-parse', 'main')).toBe(state.integration!.sha);
    expect(repo.git('rev-parse', 'main')).not.toBe(before);
    // Wave 2's start is wave 1's result, and it passed before anything moved.
    expect(state.tests.find((t) => t.sha === state.waves[1]!.fromSha)?.passed).toBe(true);
  });
});
