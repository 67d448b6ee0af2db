import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { outcomes, hostileRepo, unreachable } from './hostile-repo.js';

const BRANCH = `const branch = git('symbolic-ref', '--short', 'HEAD');`;
const FORK = `const fork = git('rev-parse', 'HEAD');`;

describe('agents that rewrite, delete or move branches', () => {
  it('each ends in a named status, nothing outside the worktree changes, every commit stays reachable', async () => {
    const agents = [
      // Commits, then throws the work away: exits 0 with nothing to show.
      { id: 'reset-hard', script: `${FORK}\ncommit('a.txt');\ngit('reset', '-q', '--hard', fork);` },
      // Commits, then points its branch at a history unrelated to the project.
      {
        id: 'unrelated',
        script: `commit('b.txt');\nconst tree = git('mktree');\nconst orphan = made(git('commit-tree', tree, '-m', 'unrelated root'));\ngit('update-ref', 'HEAD', orphan);\ngit('reset', '-q', '--hard');`,
      },
      // Commits, detaches and deletes its own branch.
      { id: 'delete-branch', script: `${BRANCH}\ncommit('c.txt');\ngit('checkout', '-q', '--detach');\ngit('branch', '-D', branch);` },
      // Renames its branch out of ccwave's namespace.
      { id: 'rename-branch', script: `commit('d.txt');\ngit('branch', '-m', 'mine/renamed');` },
      // Commits on a branch of its own and stays there.
      { id: 'other-branch', script: `git('checkout', '-q', '-b', 'elsewhere');\ncommit('e.txt');` },
      // Commits on a detached HEAD and leaves.
      { id: 'detached', script: `git('checkout', '-q', '--detach');\ncommit('f.txt');` },
    ];
    const repo = hostileRepo([agents]);
    const before = { head: repo.git('rev-parse', 'HEAD'), status: repo.git('status', '--porcelain') };
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const state = repo.runState();
    const outcome = outcomes(state);
    expect(outcome).toMatchObject({
      'reset-hard': expect.stringMatching(/^failed: .*no commits/),
      unrelated: expect.stringMatching(/^failed: .*history rewritten/),
      'delete-branch': expect.stringMatching(/^done/),
      'rename-branch': expect.stringMatching(/^done/),
      'other-branch': expect.stringMatching(/^done/),
      detached: expect.stringMatching(/^done/),
    });
    expect(readFileSync(repo.sentinel, 'utf8')).toBe("the user's own file\n");
    expect(repo.git('status', '--porcelain')).toBe(before.status);
    expect(
      unreachable(
        repo,
        agents.map((a) => a.id),
      ),
    ).toEqual([]);
  });
});
