import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitWorktreeProbe } from '../../src/agent/worktree-probe.js';
import { git } from '../helpers/git.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';
import { running } from './helpers/processes.js';

describe("the probe of an agent's worktree", () => {
  it('gives up on a git command that an agent-written filter never lets finish, and kills what it started', async () => {
    const dir = makeRepo().dir;
    const notes = tempDir();
    const filter = path.join(notes, 'filter');
    writeFileSync(filter, `#!/bin/sh\necho $$ > ${JSON.stringify(path.join(notes, 'pid'))}\nexec sleep 1000\n`, { mode: 0o755 });
    git(dir, 'config', 'filter.stuck.clean', filter);
    writeFileSync(path.join(dir, '.gitattributes'), '* filter=stuck\n');
    writeFileSync(path.join(dir, 'work.txt'), 'work\n');
    const probe = gitWorktreeProbe(dir, 1_000);
    await expect(probe.commitAll('commit it')).rejects.toThrow(/^Command failed: git add --all\ngit add did not finish within 1s and was killed$/);
    const pid = Number(readFileSync(path.join(notes, 'pid'), 'utf8'));
    expect(running(pid)).toBe(false);
  });

  it('never rewrites the index while it looks (the agent may be committing: its index.lock must stay free)', async () => {
    const repo = makeRepo();
    repo.commit({ 'tracked.txt': 'same\n' }, 'add tracked');
    // A tracked file whose timestamp changed but not its content: a plain `git status` refreshes
    // the index and writes it back, taking index.lock to do so.
    utimesSync(path.join(repo.dir, 'tracked.txt'), new Date('2020-01-01'), new Date('2020-01-01'));
    const index = path.join(repo.dir, '.git', 'index');
    const before = statSync(index);
    const probe = gitWorktreeProbe(repo.dir);
    expect(await probe.isDirty()).toBe(false);
    await probe.commitsSince(repo.sha('HEAD~1'));
    await probe.headContains(repo.sha('HEAD'));
    const after = statSync(index);
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
  });

  it("reports git's own error with the command", async () => {
    const probe = gitWorktreeProbe(makeRepo().dir);
    await expect(probe.commitsSince('0'.repeat(40))).rejects.toThrow(/^Command failed: git rev-list --reverse 0{40}\.\.HEAD\nfatal: /);
    expect(await probe.headContains('0'.repeat(40))).toBe(false);
  });
});
