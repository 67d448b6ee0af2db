import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git } from './git.js';
import { fileTempDir, tempDir } from './temp.js';

/** A real repository in a temp folder; worktrees land in the sibling `repo.ccwave` inside `tmp`. */
export interface TestRepo {
  tmp: string;
  dir: string;
  /** Runs git in the repository; `git(cwd, ...args)` from git.ts runs it elsewhere. */
  git(...args: string[]): string;
  /** Writes files and commits them; returns the new commit's sha. */
  commit(files: Record<string, string>, message: string, cwd?: string): string;
  sha(rev: string, cwd?: string): string;
  /** Removes the temp folder now; otherwise it goes when the test (or, made in a `beforeAll`, the file) is done. */
  cleanup(): void;
}

const templates = new Map<boolean, string>();

/**
 * An initialised, configured repository (with or without a first commit), made once per test file
 * and copied for each test: copying files is much cheaper than the git processes that build it.
 */
function templateRepo(initialCommit: boolean): string {
  const cached = templates.get(initialCommit);
  if (cached) return cached;
  const dir = path.join(fileTempDir('ccwave-template-'), 'repo');
  mkdirSync(dir);
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.name', 'Test');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'commit.gpgsign', 'false');
  if (initialCommit) {
    writeFileSync(path.join(dir, 'README.md'), '# test\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '--quiet', '-m', 'initial');
  }
  templates.set(initialCommit, dir);
  return dir;
}

/** A repository on `main` with one commit (README.md); `initialCommit: false` leaves it without any commit. */
export function makeRepo(options: { initialCommit?: boolean } = {}): TestRepo {
  const tmp = tempDir('ccwave-test-');
  const dir = path.join(tmp, 'repo');
  cpSync(templateRepo(options.initialCommit !== false), dir, { recursive: true });
  return {
    tmp,
    dir,
    git: (...args) => git(dir, ...args),
    commit(files, message, cwd = dir) {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
        writeFileSync(path.join(cwd, file), content);
      }
      git(cwd, 'add', '--all');
      git(cwd, 'commit', '--quiet', '--allow-empty', '-m', message);
      return git(cwd, 'rev-parse', 'HEAD');
    },
    sha: (rev, cwd = dir) => git(cwd, 'rev-parse', rev),
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
}

/** Makes an existing folder a configured repository on `main` without any commit (its files stay untracked). */
export function initRepo(dir: string): void {
  cpSync(path.join(templateRepo(false), '.git'), path.join(dir, '.git'), { recursive: true });
}

/**
 * Saves a repository's whole temp folder (the repository and its sibling worktrees) so tests can
 * each start from the same prepared state, restored at the same absolute paths that git's
 * worktree metadata and the journal record.
 */
export function snapshotRepo(repo: TestRepo): { restore(): void; dispose(): void } {
  const backup = `${repo.tmp}.snapshot`;
  const copy = (from: string, to: string): void => cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
  copy(repo.tmp, backup);
  return {
    restore() {
      rmSync(repo.tmp, { recursive: true, force: true });
      copy(backup, repo.tmp);
    },
    dispose() {
      rmSync(backup, { recursive: true, force: true });
      repo.cleanup();
    },
  };
}
