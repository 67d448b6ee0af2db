import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A folder with a `git` that first runs `before` (a shell snippet; `"$@"` are git's arguments),
 * then the real git. ccwave's own git runs no hooks, so a test that must act at the moment ccwave
 * runs some git command puts this folder first on PATH instead of writing a hook.
 */
export function gitShim(dir: string, before: string): string {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const bin = path.join(dir, 'git-shim');
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, 'git'), `#!/bin/sh\n${before}\nexec '${real}' "$@"\n`, { mode: 0o755 });
  return bin;
}

/** PATH with `bin` first. */
export function pathWith(bin: string): string {
  return `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
}
