import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const forTheFile: string[] = [];

function make(prefix: string, parent = tmpdir()): string {
  // By its real path: git and ccwave print resolved paths (macOS's /var is /private/var).
  mkdirSync(parent, { recursive: true });
  return realpathSync(mkdtempSync(path.join(parent, prefix)));
}

/**
 * A fresh temp folder, removed when the current test finishes. Made outside a test (in a
 * `beforeAll` or at module level) it lives until the test file's tests are done.
 */
export function tempDir(prefix = 'ccwave-test-'): string {
  const dir = make(prefix);
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    forTheFile.push(dir);
  }
  return dir;
}

/**
 * Like `tempDir`, but under `~/.cache` instead of the temp folder: for a program that refuses to
 * set itself up there (Codex does not create its sandbox helper under a temp folder).
 */
export function cacheTempDir(prefix = 'ccwave-test-'): string {
  const dir = make(prefix, path.join(homedir(), '.cache'));
  try {
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  } catch {
    forTheFile.push(dir);
  }
  return dir;
}

/** A temp folder kept until the test file's tests are done, even when made inside a test (a cache). */
export function fileTempDir(prefix = 'ccwave-test-'): string {
  const dir = make(prefix);
  forTheFile.push(dir);
  return dir;
}

/** Copies a fixture folder into a temp folder that looks like a repository root. */
export function fixtureRepo(fixture: string): string {
  const dir = tempDir();
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  return dir;
}

// Vitest imports this module afresh for each test file.
afterAll(() => {
  for (const dir of forTheFile.splice(0)) rmSync(dir, { recursive: true, force: true });
});
