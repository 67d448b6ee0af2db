import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const made: string[] = [];

/** A fresh temp folder removed after the current test. */
export function tempDir(prefix = 'ccwave-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Copies a fixture folder into a temp folder that looks like a repository root. */
export function fixtureRepo(fixture: string): string {
  const dir = tempDir();
  cpSync(fixture, dir, { recursive: true });
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  return dir;
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
