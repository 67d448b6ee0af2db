import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { assertNoOperationInProgress, operationInProgress, Repo, resolveCommit } from '../../src/git/index.js';
import { isAtLeast, MIN_GIT_VERSION, parseGitVersion } from '../../src/git/version.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

describe('Repo.open', () => {
  it('finds the top level, git dirs and data dir from a subfolder', async () => {
    repo = makeRepo();
    mkdirSync(path.join(repo.dir, 'sub'));
    const opened = await Repo.open(path.join(repo.dir, 'sub'));
    expect(opened.topLevel).toBe(repo.dir);
    expect(opened.commonDir).toBe(path.join(repo.dir, '.git'));
    expect(opened.dataDir).toBe(path.join(repo.dir, '.git', 'ccwave'));
    expect(isAtLeast(opened.gitVersion, MIN_GIT_VERSION)).toBe(true);
  });

  it('uses the common git dir when opened inside a linked worktree', async () => {
    repo = makeRepo();
    const linked = path.join(repo.tmp, 'linked');
    repo.git('worktree', 'add', '--quiet', '-b', 'side', linked);
    const opened = await Repo.open(linked);
    expect(opened.topLevel).toBe(linked);
    expect(opened.commonDir).toBe(path.join(repo.dir, '.git'));
    expect(opened.gitDir).not.toBe(opened.commonDir);
  });

  it('refuses a folder that is not a repository', async () => {
    const dir = tempDir('ccwave-norepo-');
    await expect(Repo.open(dir)).rejects.toThrow(/is not inside a git repository/);
    await expect(Repo.open(path.join(dir, 'missing'))).rejects.toBeInstanceOf(UserError);
  });
});

describe('resolveCommit', () => {
  it('explains an empty repository', async () => {
    repo = makeRepo({ initialCommit: false });
    const opened = await Repo.open(repo.dir);
    await expect(resolveCommit(opened.git, 'main')).rejects.toThrow(/no commits yet/);
  });

  it('explains a missing base and resolves an existing one', async () => {
    repo = makeRepo();
    const opened = await Repo.open(repo.dir);
    await expect(resolveCommit(opened.git, 'develop')).rejects.toThrow(/base "develop" does not exist/);
    expect(await resolveCommit(opened.git, 'main')).toBe(repo.sha('main'));
  });
});

describe('operation in progress', () => {
  function conflictSetup(r: TestRepo): void {
    r.git('checkout', '--quiet', '-b', 'other');
    r.commit({ 'a.txt': 'other\n' }, 'other');
    r.git('checkout', '--quiet', 'main');
    r.commit({ 'a.txt': 'main\n' }, 'main');
  }

  it.each([
    ['merge', ['merge', 'other']],
    ['rebase', ['rebase', 'other']],
    ['cherry-pick', ['cherry-pick', 'other']],
  ])('detects a %s waiting for the user', async (operation, args) => {
    repo = makeRepo();
    conflictSetup(repo);
    expect(() => repo?.git(...args)).toThrow();
    const opened = await Repo.open(repo.dir);
    expect(operationInProgress(opened.gitDir)).toBe(operation);
    const error = await assertNoOperationInProgress(opened.git).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain(`in the middle of a ${operation}`);
    expect((error as UserError).hint).toContain('--abort');
  });

  it('passes a quiet repository', async () => {
    repo = makeRepo();
    const opened = await Repo.open(repo.dir);
    await expect(assertNoOperationInProgress(opened.git)).resolves.toBeUndefined();
  });
});

describe('parseGitVersion', () => {
  it.each([
    ['git version 2.39.5', '2.39.5', true],
    ['git version 2.37.1', '2.37.1', false],
    ['git version 2.38.0', '2.38.0', true],
    ['git version 2.43.0.windows.1', '2.43.0', true],
    ['git version 3.0', '3.0', true],
    ['git version 1.99.9 (Apple Git-1)', '1.99.9', false],
  ])('%s', (output, text, supported) => {
    const version = parseGitVersion(output);
    expect(version?.text).toBe(text);
    expect(version && isAtLeast(version, MIN_GIT_VERSION)).toBe(supported);
  });

  it('returns undefined for garbage', () => {
    expect(parseGitVersion('hello')).toBeUndefined();
  });
});
