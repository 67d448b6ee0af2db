import { describe, expect, it } from 'vitest';
import { planCleanup, type BranchFacts, type CleanupInput } from '../../src/git/cleanup-plan.js';

const branch = (name: string, sha: string, onlyHere: number, containedBy: string[] = []): BranchFacts => ({
  branch: name,
  sha,
  runId: 'r',
  onlyHere,
  containedBy,
  recorded: true,
});

function input(overrides: Partial<CleanupInput>): CleanupInput {
  return { worktrees: [], branches: [], checkedOutElsewhere: new Map(), force: false, ...overrides };
}

const verdicts = (plan: ReturnType<typeof planCleanup>): Record<string, string> =>
  Object.fromEntries([...plan.deleteBranches.map((b) => [b.branch, `delete: ${b.why}`]), ...plan.kept.map((k) => [k.name, `keep: ${k.reason}`])]);

describe('planCleanup', () => {
  it('deletes merged branches, keeps the tip of an unmerged chain, deletes what that tip holds', () => {
    const plan = planCleanup(
      input({
        branches: [branch('ccwave/r/w1/merged', 'a', 0), branch('ccwave/r/w1/task', 'b', 1, ['ccwave/r/integration']), branch('ccwave/r/integration', 'c', 3)],
      }),
    );
    expect(verdicts(plan)).toEqual({
      'ccwave/r/w1/merged': 'delete: all its commits are on other branches',
      'ccwave/r/w1/task': 'delete: all its commits stay on ccwave/r/integration, which is kept',
      'ccwave/r/integration': 'keep: 3 commits not on any of your branches; merge it, or use --force (its tip would be archived)',
    });
    expect(plan.deleteBranches[0]?.archiveRef).toBe('refs/ccwave/archive/r/w1/merged');
  });

  it('keeps two unmerged branches at the same commit (neither contains the other strictly)', () => {
    const plan = planCleanup(input({ branches: [branch('ccwave/r/w1/x', 'a', 1), branch('ccwave/r/w1/y', 'a', 1)] }));
    expect(plan.deleteBranches).toEqual([]);
    expect(plan.kept.map((k) => k.name)).toEqual(['ccwave/r/w1/x', 'ccwave/r/w1/y']);
  });

  it('keeps dirty worktrees and their branches unless forced', () => {
    const worktrees = [{ path: '/w/x', branch: 'ccwave/r/w1/x', runId: 'r', exists: true, locked: false, recorded: true, dirty: ['a', 'b', 'c', 'd'] }];
    const branches = [branch('ccwave/r/w1/x', 'a', 0)];
    const kept = planCleanup(input({ worktrees, branches }));
    expect(verdicts(kept)).toEqual({
      '/w/x': 'keep: 4 uncommitted files (a, b, c, …); commit them, or use --force to discard them',
      'ccwave/r/w1/x': 'keep: checked out in the kept worktree /w/x',
    });
    const forced = planCleanup(input({ worktrees, branches, force: true }));
    expect(forced.removeWorktrees).toEqual([{ path: '/w/x', runId: 'r', force: true, discards: ['a', 'b', 'c', 'd'] }]);
    expect(verdicts(forced)).toEqual({ 'ccwave/r/w1/x': 'delete: all its commits are on other branches' });
  });

  it('prunes missing worktrees and never deletes a branch checked out elsewhere, even forced', () => {
    const plan = planCleanup(
      input({
        worktrees: [{ path: '/gone', runId: 'r', exists: false, locked: false, recorded: true, dirty: [] }],
        branches: [branch('ccwave/r/integration', 'a', 2)],
        checkedOutElsewhere: new Map([['ccwave/r/integration', '/home/me/repo']]),
        force: true,
      }),
    );
    expect(plan.pruneWorktrees).toEqual([{ path: '/gone', runId: 'r' }]);
    expect(verdicts(plan)).toEqual({ 'ccwave/r/integration': 'keep: checked out in /home/me/repo' });
  });

  it('with --force deletes unmerged branches too (they are archived)', () => {
    const plan = planCleanup(input({ branches: [branch('ccwave/r/w1/x', 'a', 2)], force: true }));
    expect(verdicts(plan)).toEqual({ 'ccwave/r/w1/x': 'delete: --force (2 commits only in the archive now)' });
  });

  it('never removes or prunes a locked worktree, even forced, and keeps its branch', () => {
    const worktrees = [
      { path: '/w/x', branch: 'ccwave/r/w1/x', runId: 'r', exists: true, locked: true, recorded: true, dirty: ['a'] },
      // Locked worktrees are often on a drive that is not mounted right now.
      { path: '/media/y', branch: 'ccwave/r/w1/y', runId: 'r', exists: false, locked: true, recorded: true, dirty: [] },
    ];
    const plan = planCleanup(input({ worktrees, branches: [branch('ccwave/r/w1/x', 'a', 0), branch('ccwave/r/w1/y', 'b', 0)], force: true }));
    expect(plan.removeWorktrees).toEqual([]);
    expect(plan.pruneWorktrees).toEqual([]);
    expect(verdicts(plan)).toEqual({
      '/w/x': 'keep: locked (git worktree lock); unlock it with `git worktree unlock` to clean it',
      '/media/y': 'keep: locked (git worktree lock); unlock it with `git worktree unlock` to clean it',
      'ccwave/r/w1/x': 'keep: checked out in the kept worktree /w/x',
      'ccwave/r/w1/y': 'keep: checked out in the kept worktree /media/y',
    });
  });

  it('keeps what no journal records, even forced: a ccwave-looking name is not enough', () => {
    const plan = planCleanup(
      input({
        worktrees: [{ path: '/w/z', branch: 'ccwave/r/w1/z', runId: 'r', exists: true, locked: false, recorded: false, dirty: [] }],
        branches: [
          { ...branch('ccwave/r/w1/z', 'a', 0), recorded: false },
          { ...branch('ccwave/r/stray', 'b', 2), recorded: false },
        ],
        force: true,
      }),
    );
    expect(plan.removeWorktrees).toEqual([]);
    expect(plan.deleteBranches).toEqual([]);
    expect(verdicts(plan)).toEqual({
      '/w/z': "keep: not ccwave's (no ccwave journal records it)",
      'ccwave/r/w1/z': "keep: not ccwave's (no ccwave journal records it)",
      'ccwave/r/stray': "keep: not ccwave's (no ccwave journal records it)",
    });
  });
});
