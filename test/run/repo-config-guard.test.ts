import { existsSync, lstatSync, readFileSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Repo } from '../../src/git/repo.js';
import { restoreRepoConfig, runConfigBaseline, snapshotRepoConfig } from '../../src/run/repo-config-guard.js';
import { git } from '../helpers/git.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

describe('putting the repository config and hooks back after an agent', () => {
  it('restores changed config and hooks, keeps what changed aside, and leaves a linked hook alone', async () => {
    const dir = makeRepo().dir;
    const hooks = path.join(dir, '.git/hooks');
    const shared = path.join(tempDir(), 'shared-hook');
    writeFileSync(shared, '#!/bin/sh\n');
    symlinkSync(shared, path.join(hooks, 'pre-push'));
    writeFileSync(path.join(hooks, 'pre-commit'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    const repo = await Repo.open(dir);
    const before = snapshotRepoConfig(repo);
    git(dir, 'config', 'core.hooksPath', '/tmp/evil');
    writeFileSync(path.join(hooks, 'pre-commit'), '#!/bin/sh\necho evil\n');
    writeFileSync(path.join(hooks, 'post-checkout'), '#!/bin/sh\necho evil\n');
    const save = tempDir();
    const changes = restoreRepoConfig(repo, before, save);
    expect(changes).toEqual({ configLines: ['core.hookspath=/tmp/evil'], hooks: ['post-checkout', 'pre-commit'] });
    expect(git(dir, 'config', '--list', '--local')).not.toMatch(/hookspath/);
    expect(readFileSync(path.join(hooks, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
    expect(existsSync(path.join(hooks, 'post-checkout'))).toBe(false);
    expect(readFileSync(path.join(save, 'hooks/post-checkout'), 'utf8')).toMatch(/evil/);
    expect(readFileSync(path.join(save, 'config'), 'utf8')).toMatch(/hooksPath = \/tmp\/evil/);
    expect(readlinkSync(path.join(hooks, 'pre-push'))).toBe(shared);
    expect(restoreRepoConfig(repo, before, save)).toEqual({ hooks: [] });
  });

  it('replaces a config an agent turned into a symlink, without writing through it', async () => {
    const dir = makeRepo().dir;
    const repo = await Repo.open(dir);
    const before = snapshotRepoConfig(repo);
    const target = path.join(tempDir(), 'users-file');
    const config = path.join(dir, '.git/config');
    writeFileSync(target, "the user's own file\n");
    // The agent swaps the config for a link to a file of the user's.
    symlinkSync(target, `${config}.link`);
    renameSync(`${config}.link`, config);
    restoreRepoConfig(repo, before, tempDir());
    expect(lstatSync(config).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe("the user's own file\n");
    expect(readFileSync(config)).toEqual(before.config);
  });

  it("keeps the run's baseline in the run folder: a later call, as a resumed run makes, gets the same, not what is in force now", async () => {
    const dir = makeRepo().dir;
    const hooks = path.join(dir, '.git/hooks');
    writeFileSync(path.join(hooks, 'pre-commit'), '#!/bin/sh\necho mine\n', { mode: 0o755 });
    symlinkSync('/usr/share/hooks/pre-push', path.join(hooks, 'pre-push'));
    const repo = await Repo.open(dir);
    const runDir = path.join(tempDir(), 'run');
    const first = runConfigBaseline(repo, runDir);
    git(dir, 'config', 'core.hooksPath', '/tmp/evil');
    writeFileSync(path.join(hooks, 'post-checkout'), '#!/bin/sh\necho evil\n');
    const again = runConfigBaseline(repo, runDir);
    expect(again).toEqual(first);
    expect(restoreRepoConfig(repo, again, tempDir())).toEqual({ configLines: ['core.hookspath=/tmp/evil'], hooks: ['post-checkout'] });
    expect(readFileSync(path.join(hooks, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\necho mine\n');
  });

  it('takes a fresh baseline when the stored one is not one, and never a hook name that leaves the hooks folder', async () => {
    const dir = makeRepo().dir;
    const repo = await Repo.open(dir);
    const runDir = tempDir();
    const stored = path.join(runDir, 'repo-config-baseline.json');
    for (const text of ['not json', '{"config":1,"hooks":{}}', JSON.stringify({ config: null, hooks: { '../config': { file: 'eA==' } } })]) {
      writeFileSync(stored, text);
      expect(runConfigBaseline(repo, runDir)).toEqual(snapshotRepoConfig(repo));
      // Replaced by the fresh one.
      expect(JSON.parse(readFileSync(stored, 'utf8'))).toMatchObject({ config: expect.any(String), hooks: {} });
    }
  });
});
