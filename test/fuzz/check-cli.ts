import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { CLI, type CliResult } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';
import { describeCase, writeCase } from './check-plan.js';
import type { MutatedCase } from './mutations.js';

/** A line of a JavaScript stack trace, or the top-level boundary's word for a bug. */
const STACK_TRACE = /^\s+at .+|internal error/m;
/** `file:line:col: error|warning: message`, as `validate` prints every problem. */
const LOCATED = /^.+:\d+:\d+: (?:error|warning): \S/;

/** Enough for a flood of a hundred thousand warnings, which spawnSync's 1 MB default cuts off. */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
const CLI_TIMEOUT_MS = 120_000;

function ccwaveLarge(args: string[], cwd: string, env: NodeJS.ProcessEnv): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function snapshot(dir: string): string {
  return [git(dir, 'status', '--porcelain', '--ignored', '--untracked-files=all'), git(dir, 'for-each-ref'), git(dir, 'rev-parse', 'HEAD'), git(dir, 'worktree', 'list', '--porcelain')].join('\n--\n');
}

/**
 * The case committed in a real repository, then `validate`, `validate --json` and
 * `run --dry-run` through the built CLI: each exits 0 or 2, prints no stack trace, locates every
 * problem, and leaves the repository exactly as it was. Throws with the case otherwise.
 */
export function checkCliCase(c: MutatedCase): void {
  const dir = makeRepo().dir;
  writeCase(dir, c);
  git(dir, 'add', '-A', '--', ':!.git');
  git(dir, 'commit', '-qm', 'plan', '--allow-empty');
  const before = snapshot(dir);
  const plan = path.join(dir, c.plan);
  const fail = (why: string): never => {
    // Kept for replay (the repository itself is removed after the test).
    const kept = mkdtempSync(path.join(tmpdir(), 'ccwave-fuzz-failed-'));
    writeCase(kept, c);
    throw new Error(`${why}\ncase kept in ${kept}\n${describeCase(c)}`);
  };
  // A stand-in for Claude Code, so that a valid plan reaches the dry run's
  // own output instead of stopping at "the agent program was not found".
  const bin = tempDir('ccwave-fuzz-bin-');
  for (const program of ['claude']) {
    writeFileSync(path.join(bin, program), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(bin, program), 0o755);
  }
  const env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
  for (const args of [
    ['validate', plan],
    ['validate', '--json', plan],
    ['run', '--dry-run', '--no-tui', plan],
  ]) {
    const result = ccwaveLarge(args, dir, env);
    const shown = `ccwave ${args.join(' ')} → ${result.status}\n${result.stderr}`;
    if (result.status !== 0 && result.status !== 2) fail(`exit ${result.status}: ${shown}`);
    if (STACK_TRACE.test(result.stderr) || STACK_TRACE.test(result.stdout)) fail(`a stack trace: ${shown}`);
    if (args[0] === 'validate' && args[1] === '--json') {
      const body = JSON.parse(result.stdout) as { ok: boolean; diagnostics?: { line: number; column: number; file: string; message: string }[] };
      if (body.ok !== (result.status === 0)) fail(`--json says ok: ${body.ok} with exit ${result.status}`);
      for (const d of body.diagnostics ?? []) if (!(d.line >= 1 && d.column >= 1 && d.file && d.message)) fail(`unlocated: ${JSON.stringify(d)}`);
    } else if (args[0] === 'validate' && result.status === 2) {
      const problems = result.stderr.split('\n').filter((l) => l && !l.startsWith('  hint: ') && !/^\d+ errors? in the plan$/.test(l));
      for (const line of problems) if (!LOCATED.test(line)) fail(`an unlocated line: ${JSON.stringify(line)}\n${shown}`);
    }
    const after = snapshot(dir);
    if (after !== before) fail(`the repository changed:\n${before}\n=>\n${after}\n${shown}`);
  }
}
