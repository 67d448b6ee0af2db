import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commitTurn, planRepo, runCcwave, runState, type PlanRepo } from '../run/plan-repo.js';
import { resolveStep } from '../run/stop-helpers.js';

/**
 * Wave 1: `a` adds shared.txt and a-only.txt; `b` adds shared.txt too, so its merge conflicts and
 * goes back to its agent, which merges the integration branch and resolves it.
 */
function conflictRepo(): PlanRepo {
  return planRepo(
    [
      [
        { id: 'a', turns: [{ steps: [{ write: 'a-only.txt', content: 'a\n' }, { write: 'shared.txt', content: 'from a\n' }, { commit: 'Add a' }], reply: 'Added.' }] },
        { id: 'b', turns: [commitTurn('shared.txt', 'from b\n'), { steps: [resolveStep('shared.txt', 'from a\nfrom b\n')], reply: 'Resolved.' }] },
      ],
    ],
    { concurrency: 1 },
  );
}

describe('a merge conflict the task agent resolved', () => {
  it('is named in the log and the retrospective, and the task is credited only with what its merge brought', async () => {
    const repo = conflictRepo();
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    // The log names the conflict and how it ended.
    expect(result.stdout).toMatch(/b +merge conflict in shared\.txt handed back to its agent/);
    expect(result.stdout).toMatch(/merge b → ● merged .*conflict in shared\.txt resolved by its agent/);
    // And so does the summary the morning reader starts from.
    expect(result.stdout).toMatch(/^b +\S+ +2 +yes +\S+ +~\$\S+ +● merged \(conflict resolved\) · conflict in shared\.txt resolved by its agent$/m);

    const state = runState(repo);
    const retro = readFileSync(path.join(repo.dir, state.waves[0]!.retro!.path.replace(/^.*?waves\//, 'waves/')), 'utf8');
    const conflicts = retro.slice(retro.indexOf('## Conflicts'), retro.indexOf('## Test runs'));
    expect(conflicts).not.toContain('None.');
    expect(conflicts).toMatch(/`b`: `shared\.txt`.*resolved by its agent/);

    // The morning reader is pointed at a merge nobody reviewed.
    const watch = retro.slice(retro.indexOf('## What to watch next wave'));
    expect(watch).toMatch(/- `b`'s agent resolved a merge conflict in `shared\.txt` by itself \(merged as `[0-9a-f]{7}`\): review how both sides were kept\./);

    // b's section lists only what b's merge brought over a's work: shared.txt, not a-only.txt.
    const b = retro.slice(retro.indexOf('### `b`'), retro.indexOf('## Wave totals'));
    expect(b).toContain('`shared.txt`');
    expect(b).not.toContain('a-only.txt');
    // Its own commit and its merge of the integration branch; not a's commit.
    expect(b).toMatch(/- Commits: 2 on/);
  });
});
