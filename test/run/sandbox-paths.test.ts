import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Repo } from '../../src/git/repo.js';
import { sandboxFor } from '../../src/run/sandbox-paths.js';
import { git } from '../helpers/git.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

describe('where a sandboxed agent may write', () => {
  it("grants what git add and commit need in the shared git folder and the worktree's own, nothing else", async () => {
    const dir = makeRepo().dir;
    const worktree = path.join(tempDir(), 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'ccwave/t', worktree);
    const repo = await Repo.open(dir);
    const common = path.join(dir, '.git');
    expect(await sandboxFor(repo, worktree, { sandbox: { network: ['registry.npmjs.org'] } })).toEqual({
      allowWrite: ['objects', 'refs', 'logs'].map((f) => path.join(common, f)).concat(path.join(common, 'worktrees', 'wt')),
      allowedDomains: ['registry.npmjs.org'],
    });
    expect(await sandboxFor(repo, worktree, { sandbox: undefined })).toBeUndefined();
  });

  it("does not grant a git folder the worktree points at outside the repository's worktrees", async () => {
    const dir = makeRepo().dir;
    const elsewhere = makeRepo().dir;
    const worktree = path.join(tempDir(), 'wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'ccwave/t', worktree);
    // An agent rewired its worktree to another repository's git folder.
    writeFileSync(path.join(worktree, '.git'), `gitdir: ${path.join(elsewhere, '.git')}\n`);
    const sandbox = await sandboxFor(await Repo.open(dir), worktree, { sandbox: { network: [] } });
    expect(sandbox?.allowWrite).toEqual(['objects', 'refs', 'logs'].map((f) => path.join(dir, '.git', f)));
  });
});
