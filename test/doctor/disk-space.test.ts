import { describe, expect, it } from 'vitest';
import { diskSpaceCheck } from '../../src/doctor/disk-space.js';
import { GitExec } from '../../src/git/exec.js';
import { checkedOutSize } from '../../src/git/tree-size.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

describe('disk space for a wave', () => {
  it('measures a checkout as the sum of the committed files, in every folder', async () => {
    const repo = makeRepo();
    const before = await checkedOutSize(new GitExec(repo.dir));
    repo.commit({ 'a.txt': 'x'.repeat(1000), 'deep/er/b.bin': 'y'.repeat(2345) }, 'files');
    expect((await checkedOutSize(new GitExec(repo.dir))) - before).toBe(3345);
  });

  it('passes when the filesystem holds concurrency + 1 checkouts, and fails with the numbers when it does not', async () => {
    // Where the worktrees will go need not exist yet: the space is that of the folder git makes it in.
    const root = `${tempDir('ccwave-disk-')}/not/made/yet`;
    expect(await diskSpaceCheck(root, 4, 1024)).toMatchObject({ id: 'env.disk-space', status: 'ok', title: 'disk space for 5 worktrees of 1 KB (concurrency 4 and the integration worktree)' });
    const tooBig = await diskSpaceCheck(root, 2, 2 ** 60);
    expect(tooBig.status).toBe('failed');
    expect(tooBig.detail).toMatch(new RegExp(`^[\\d.]+ [KMB]+ free at ${root}, about [\\d.]+ MB needed; free some space or lower \`concurrency\`$`));
  });
});
