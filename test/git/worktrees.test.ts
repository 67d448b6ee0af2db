import { existsSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addWorktree, currentBranch, defaultWorktreeRoot, listWorktrees, planIntegrationWorktree, planTaskWorktree, removeWorktree, Repo, WorktreeDirtyError } from '../../src/git/index.js';
import { parseWorktreeList } from '../../src/git/worktree-list.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

const RUN = '20261123-144501-ab12';

async function setup(): Promise<{ r: TestRepo; opened: Repo; root: string; base: string }> {
  const r = makeRepo();
  repo = r;
  const opened = await Repo.open(r.dir);
  return { r, opened, root: await defaultWorktreeRoot(opened), base: r.sha('HEAD') };
}

describe('task worktrees', () => {
  it('live in a sibling folder, on a ccwave branch at the given commit', async () => {
    const { r, opened, root, base } = await setup();
    expect(root).toBe(path.join(r.tmp, 'repo.ccwave'));
    const planned = await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 'feature-001 login', fromSha: base });
    expect(planned).toEqual({ branch: `ccwave/${RUN}/w1/feature-001-login`, path: path.join(root, RUN, 'feature-001-login'), fromSha: base });
    const entry = await addWorktree(opened, planned);
    expect(entry).toMatchObject({ path: planned.path, head: base, branch: `refs/heads/${planned.branch}`, main: false });
    expect(await currentBranch(opened.at(planned.path))).toBe(planned.branch);
    // The user's checkout is untouched.
    expect(r.git('status', '--porcelain')).toBe('');
    expect(await currentBranch(opened.git)).toBe('main');
  });

  it('get unique names when the same task id comes again', async () => {
    const { opened, root, base } = await setup();
    const first = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 't', fromSha: base }));
    const second = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 't', fromSha: base }));
    expect(first.branch).toBe(`refs/heads/ccwave/${RUN}/w1/t`);
    expect(second.branch).toBe(`refs/heads/ccwave/${RUN}/w1/t-2`);
    expect(second.path).toBe(`${first.path}-2`);
  });

  it('are created in parallel without index or ref lock collisions', async () => {
    const { opened, root, base } = await setup();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    const plans = await Promise.all(ids.map((taskId) => planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId, fromSha: base })));
    await Promise.all(plans.map((plan) => addWorktree(opened, plan)));
    const listed = await listWorktrees(opened.git);
    expect(listed).toHaveLength(ids.length + 1);
    expect(listed[0]?.main).toBe(true);
  });

  it('has an integration worktree of its own', async () => {
    const { opened, root, base } = await setup();
    const plan = await planIntegrationWorktree(opened, { root, runId: RUN, baseSha: base });
    expect(plan.branch).toBe(`ccwave/${RUN}/integration`);
    expect(plan.path).toBe(path.join(root, RUN, '_integration'));
    await addWorktree(opened, plan);
    expect(existsSync(path.join(plan.path, 'README.md'))).toBe(true);
  });
});

describe('removeWorktree', () => {
  it('refuses a worktree with uncommitted or untracked files unless forced', async () => {
    const { opened, root, base } = await setup();
    const entry = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 't', fromSha: base }));
    writeFileSync(path.join(entry.path, 'new-file.txt'), 'work in progress\n');
    const error = await removeWorktree(opened, entry.path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorktreeDirtyError);
    expect((error as WorktreeDirtyError).paths).toEqual(['new-file.txt']);
    expect(existsSync(entry.path)).toBe(true);
    await removeWorktree(opened, entry.path, { force: true });
    expect(existsSync(entry.path)).toBe(false);
    expect(await listWorktrees(opened.git)).toHaveLength(1);
  });

  it('removes a clean one, keeps its branch, and prunes one whose folder is gone', async () => {
    const { r, opened, root, base } = await setup();
    const a = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 'a', fromSha: base }));
    const b = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 'b', fromSha: base }));
    await removeWorktree(opened, a.path);
    expect(r.sha(`ccwave/${RUN}/w1/a`)).toBe(base);
    rmSync(b.path, { recursive: true, force: true });
    expect((await listWorktrees(opened.git)).find((w) => w.path === b.path)?.prunable).toBe(true);
    await removeWorktree(opened, b.path);
    expect(await listWorktrees(opened.git)).toHaveLength(1);
  });

  it('never removes a locked worktree, even forced', async () => {
    const { r, opened, root, base } = await setup();
    const entry = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 'kept', fromSha: base }));
    r.git('worktree', 'lock', entry.path);
    await expect(removeWorktree(opened, entry.path, { force: true })).rejects.toThrow(/locked/);
    expect(existsSync(entry.path)).toBe(true);
  });

  it('never removes what a symlink put in place of a worktree leads to', async () => {
    const { r, opened, root, base } = await setup();
    const entry = await addWorktree(opened, await planTaskWorktree(opened, { root, runId: RUN, wave: 1, taskId: 'gone', fromSha: base }));
    const mine = path.join(r.tmp, 'mine');
    r.git('worktree', 'add', '--quiet', '-b', 'mine', mine);
    writeFileSync(path.join(mine, 'wip.txt'), 'mine\n');
    rmSync(entry.path, { recursive: true, force: true });
    symlinkSync(mine, entry.path);
    await expect(removeWorktree(opened, entry.path, { force: true })).rejects.toThrow(/symlink/);
    expect(existsSync(path.join(mine, 'wip.txt'))).toBe(true);
  });

  it("never removes the user's checkout", async () => {
    const { r, opened } = await setup();
    await expect(removeWorktree(opened, r.dir, { force: true })).rejects.toThrow(/user's own checkout/);
  });
});

describe('parseWorktreeList', () => {
  it('reads every attribute and keeps odd paths intact', () => {
    const output =
      [
        'worktree /home/me/repo',
        'HEAD 1111111111111111111111111111111111111111',
        'branch refs/heads/main',
        '',
        'worktree /tmp/with\nnewline',
        'HEAD 2222222222222222222222222222222222222222',
        'detached',
        'locked reason here',
        'prunable gitdir file points to non-existent location',
        '',
      ].join('\0') + '\0';
    expect(parseWorktreeList(output)).toEqual([
      { path: '/home/me/repo', head: '1111111111111111111111111111111111111111', branch: 'refs/heads/main', detached: false, bare: false, locked: false, prunable: false, main: true },
      { path: '/tmp/with\nnewline', head: '2222222222222222222222222222222222222222', branch: undefined, detached: true, bare: false, locked: true, prunable: true, main: false },
    ]);
  });
});
