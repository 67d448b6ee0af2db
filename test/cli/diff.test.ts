import { describe, expect, it } from 'vitest';
import { commitTurn, planRepo, runCcwave, runState } from '../run/plan-repo.js';
import { resolveStep } from '../run/stop-helpers.js';

describe('ccwave diff <task>', () => {
  it("shows what the task's merge brought, even after it merged the others' work to resolve a conflict", async () => {
    const repo = planRepo(
      [
        [
          { id: 'a', turns: [{ steps: [{ write: 'a-only.txt', content: 'a\n' }, { write: 'shared.txt', content: 'from a\n' }, { commit: 'Add a' }], reply: 'Added.' }] },
          { id: 'b', turns: [commitTurn('shared.txt', 'from b\n'), { steps: [resolveStep('shared.txt', 'from a\nfrom b\n')], reply: 'Resolved.' }] },
          { id: 'c', turns: [{ steps: [{ crash: 3 }], reply: 'Never seen.' }] },
        ],
      ],
      { concurrency: 3, retries: 0 },
    );
    const run = await runCcwave(repo, ['run', '--no-tui']);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    const mergeSha = runState(repo).tasks.b!.merge!.mergeSha!;

    const b = await runCcwave(repo, ['diff', 'b']);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).toBe(`b: what its merge brought (git diff ${mergeSha.slice(0, 7)}^ ${mergeSha.slice(0, 7)})\n`);
    expect(b.stdout).toContain('diff --git a/shared.txt b/shared.txt');
    expect(b.stdout).toContain('+from b');
    expect(b.stdout).not.toContain('a-only.txt');

    const stat = await runCcwave(repo, ['diff', 'b', '--stat']);
    expect(stat.stdout).toMatch(/^ shared\.txt \| 1 \+\n 1 file changed, 1 insertion\(\+\)\n$/);

    const none = await runCcwave(repo, ['diff', 'c']);
    expect(none.status).toBe(0);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^c made no commits \(failed/);

    const unknown = await runCcwave(repo, ['diff', 'zzz']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('has no task `zzz`');
  });
});
