import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A real repository in a temp folder; worktrees land in the sibling `repo.ccwave` inside `tmp`. */
export interface TestRepo {
  tmp: string;
  dir: string;
  git(args: string[], cwd?: string): string;
  /** Writes files and commits them; returns the new commit's sha. */
  commit(files: Record<string, string>, message: string, cwd?: string): string;
  sha(rev: string, cwd?: string): string;
  cleanup(): void;
}

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

export function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).replace(/\n$/, '');
}

function tempDir(prefix: string): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
}

const templates = new Map<boolean, string>();

// Vitest imports this module afresh for each test file, so this runs once per file.
afterAll(() => {
  for (const dir of templates.values()) rmSync(path.dirname(dir), { recursive: true, force: true });
  templates.clear();
});

/**
 * An initialised, configured repository (with or without a first commit), made once per test file
 * and copied for each test: copying files is much cheaper than the git processes that build it.
 */
function templateRepo(initialCommit: boolean): string {
  const cached = templates.get(initialCommit);
  if (cached) return cached;
  const dir = path.join(tempDir('ccwave-template-'), 'repo');
  mkdirSync(dir);
  git(['init', '--quiet', '--initial-branch=main'], dir);
  git(['config', 'user.name', 'Test'], dir);
  git(['config', 'user.email', 'test@example.com'], dir);
  git(['config', 'commit.gpgsign', 'false'], dir);
  if (initialCommit) {
    writeFileSync(path.join(dir, 'README.md'), '# test\n');
    git(['add', 'README.md'], dir);
    git(['commit', '--quiet', '-m', 'initial'], dir);
  }
  templates.set(initialCommit, dir);
  return dir;
}

/** `initialCommit: false` leaves the repository without any commit. */
export function makeRepo(options: { initialCommit?: boolean } = {}): TestRepo {
  const tmp = tempDir('ccwave-test-');
  const dir = path.join(tmp, 'repo');
  cpSync(templateRepo(options.initialCommit !== false), dir, { recursive: true });
  const repo: TestRepo = {
    tmp,
    dir,
    git: (args, cwd = dir) => git(args, cwd),
    commit(files, message, cwd = dir) {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(cwd, file)), { recursive: true });
        writeFileSync(path.join(cwd, file), content);
      }
      git(['add', '--all'], cwd);
      git(['commit', '--quiet', '--allow-empty', '-m', message], cwd);
      return git(['rev-parse', 'HEAD'], cwd);
    },
    sha: (rev, cwd = dir) => git(['rev-parse', rev], cwd),
    cleanup: () => rmSync(tmp, { recursive: true, force: true }),
  };
  return repo;
}

/**
 * Saves a repository's whole temp folder (the repository and its sibling worktrees) so tests can
 * each start from the same prepared state, restored at the same absolute paths that git's
 * worktree metadata and the journal record.
 */
export function snapshotRepo(repo: TestRepo): { restore(): void; dispose(): void } {
  const backup = `${repo.tmp}.snapshot`;
  const copy = (from: string, to: string): void =>
    cpSync(from, to, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
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
