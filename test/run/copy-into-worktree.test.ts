import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyIntoWorktree } from '../../src/run/copy-into-worktree.js';
import { tempDir } from '../helpers/temp.js';

/** The user's checkout (with an ignored .env and config), a fresh worktree, and a folder outside both. */
function layout(): { root: string; worktree: string; outside: string } {
  const base = tempDir('ccwave-copy-');
  const root = path.join(base, 'repo');
  const worktree = path.join(base, 'worktree');
  const outside = path.join(base, 'outside');
  for (const dir of [root, worktree, outside, path.join(root, 'config'), path.join(root, 'node_modules/pkg')]) mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(root, '.env'), 'KEY=users\n');
  writeFileSync(path.join(root, 'config/local.json'), '{}\n');
  writeFileSync(path.join(root, 'node_modules/pkg/index.js'), 'module.exports = 1;\n');
  writeFileSync(path.join(outside, 'secret.txt'), 'outside\n');
  return { root, worktree, outside };
}

describe('copyIntoWorktree', () => {
  it('copies files and folders, creating the folders on the way', async () => {
    const { root, worktree } = layout();
    expect(await copyIntoWorktree(root, worktree, '.env')).toEqual({ kind: 'copied' });
    expect(await copyIntoWorktree(root, worktree, 'config/local.json')).toEqual({ kind: 'copied' });
    expect(await copyIntoWorktree(root, worktree, 'node_modules')).toEqual({ kind: 'copied' });
    expect(readFileSync(path.join(worktree, '.env'), 'utf8')).toBe('KEY=users\n');
    expect(readFileSync(path.join(worktree, 'config/local.json'), 'utf8')).toBe('{}\n');
    expect(readFileSync(path.join(worktree, 'node_modules/pkg/index.js'), 'utf8')).toBe('module.exports = 1;\n');
    expect(await copyIntoWorktree(root, worktree, 'not-there')).toEqual({ kind: 'missing' });
  });

  it('never writes through a symlink in the worktree, nor over an existing entry', async () => {
    const { root, worktree, outside } = layout();
    symlinkSync(path.join(outside, 'secret.txt'), path.join(worktree, '.env'));
    symlinkSync(outside, path.join(worktree, 'config'));
    mkdirSync(path.join(worktree, 'node_modules'));
    expect(await copyIntoWorktree(root, worktree, '.env')).toEqual({ kind: 'skipped', reason: 'it is a symlink in the worktree' });
    expect(await copyIntoWorktree(root, worktree, 'config/local.json')).toEqual({ kind: 'skipped', reason: '`config` is a symlink in the worktree' });
    expect(await copyIntoWorktree(root, worktree, 'node_modules')).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('already exists') });
    expect(readdirSync(outside)).toEqual(['secret.txt']);
    expect(readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('outside\n');
    expect(readdirSync(path.join(worktree, 'node_modules'))).toEqual([]);
  });

  it('does not bring in a source that leads outside the repository', async () => {
    const { root, worktree, outside } = layout();
    symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'linked.env'));
    symlinkSync(outside, path.join(root, 'shared'));
    symlinkSync('.env', path.join(root, 'alias.env'));
    expect(await copyIntoWorktree(root, worktree, 'linked.env')).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('outside the repository') });
    expect(await copyIntoWorktree(root, worktree, 'shared/secret.txt')).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('outside the repository') });
    expect(existsSync(path.join(worktree, 'linked.env')) || existsSync(path.join(worktree, 'shared'))).toBe(false);
    // A link inside the repository is copied as the link itself.
    expect(await copyIntoWorktree(root, worktree, 'alias.env')).toEqual({ kind: 'copied' });
    expect(lstatSync(path.join(worktree, 'alias.env')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(worktree, 'alias.env'))).toBe('.env');
  });

  it('refuses entries that are not paths inside the repository', async () => {
    const { root, worktree } = layout();
    for (const entry of ['../outside/secret.txt', '/etc/hostname', 'config/../../outside/secret.txt', '.', '.env\0x']) {
      expect(await copyIntoWorktree(root, worktree, entry), entry).toMatchObject({ kind: 'skipped' });
    }
    expect(readdirSync(worktree)).toEqual([]);
  });

  it('reports a copy that fails instead of failing the run', async () => {
    const { root, worktree } = layout();
    // A cp that fails the way a full disk or an unreadable file makes the real one fail.
    const bin = tempDir('ccwave-bin-');
    writeFileSync(path.join(bin, 'cp'), '#!/bin/sh\necho "cp: cannot create regular file: No space left on device" >&2\nexit 1\n', { mode: 0o755 });
    const saved = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${saved ?? ''}`;
    try {
      expect(await copyIntoWorktree(root, worktree, '.env')).toEqual({ kind: 'skipped', reason: 'cp failed: cp: cannot create regular file: No space left on device' });
    } finally {
      process.env.PATH = saved;
    }
  });
});
