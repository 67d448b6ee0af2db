import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { planRepo, runCcwave, runState } from '../run/plan-repo.js';

describe('status names where each task worked', () => {
  it("shows each task's worktree and branch, whole, and says so once `clean` removed them", async () => {
    const repo = planRepo([[{ id: 'one' }, { id: 'feature-002-a-task-with-a-rather-long-name' }]]);
    expect((await runCcwave(repo, ['run', '--no-tui'])).status).toBe(0);
    const state = runState(repo);
    const status = ccwave(['status'], { cwd: repo.dir });
    expect(status.status).toBe(0);
    for (const task of Object.values(state.tasks)) {
      const { path, branch } = task.worktree!;
      expect(status.stdout).toContain(`      worktree ${path} · branch ${branch}\n`);
    }

    expect(ccwave(['clean'], { cwd: repo.dir }).status).toBe(0);
    const after = ccwave(['status'], { cwd: repo.dir });
    const one = state.tasks.one!.worktree!;
    expect(after.stdout).toContain(`      worktree ${one.path} (removed) · branch ${one.branch} (deleted)\n`);
    expect(after.stdout).toContain(`Integration: ${state.integration!.branch} (deleted) @ `);
  });
});
