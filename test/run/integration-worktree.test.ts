import { describe, expect, it } from 'vitest';
import { git } from '../helpers/git.js';
import { mergedTasks, planRepo, runCcwave, runState, type PlanRepo } from './plan-repo.js';

/**
 * The integration worktree is ccwave's scratch space (tests, retrospectives); the branch only moves
 * by compare-and-swap, so the worktree holds a commit of the branch's history, never the branch.
 */
function expectDetachedOnTheBranch(repo: PlanRepo): void {
  const { integration } = runState(repo);
  if (!integration) throw new Error('no integration recorded');
  const status = git(integration.worktree, 'status', '--porcelain');
  // With the branch checked out there, a moved branch shows up as the whole run reverted.
  expect(status).toBe('');
  expect(git(integration.worktree, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('HEAD');
  const head = git(integration.worktree, 'rev-parse', 'HEAD');
  expect(repo.git('merge-base', '--is-ancestor', head, integration.branch)).toBe('');
  expect(repo.git('worktree', 'list', '--porcelain')).not.toContain(`branch refs/heads/${integration.branch}`);
}

describe('the integration worktree', () => {
  it('is detached, so it never shows the run reverted while the branch moves', async () => {
    // No test command and no retrospective: nothing else ever checks out a commit there.
    const repo = planRepo([[{ id: 'alpha' }, { id: 'beta' }]], { retro: false, land: false });
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(mergedTasks(repo, runState(repo).integration!.branch)).toEqual(['alpha', 'beta']);
    expectDetachedOnTheBranch(repo);
  });

  it('is detached on resume when a run from an older ccwave has the branch checked out there', async () => {
    const repo = planRepo([[{ id: 'alpha' }], [{ id: 'beta' }]], { retro: false, land: false });
    expect((await runCcwave(repo, ['run', '--no-tui', '--wave', '1'])).status).toBe(0);
    const { integration } = runState(repo);
    // As older versions left it: the branch checked out, its files one move behind.
    git(integration!.worktree, 'symbolic-ref', 'HEAD', `refs/heads/${integration!.branch}`);
    expect(git(integration!.worktree, 'status', '--porcelain')).not.toBe('');
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(mergedTasks(repo, integration!.branch)).toEqual(['alpha', 'beta']);
    expectDetachedOnTheBranch(repo);
    expect(runState(repo).repairs.map((r) => r.action)).toContain('integration-worktree-detached');
  });
});
