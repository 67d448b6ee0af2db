import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { GitExec } from '../git/exec.js';

/** Enough of a failing test run's output to see why, in the journal and the retrospective. */
export const OUTPUT_TAIL_BYTES = 4096;

export interface TestOutcome {
  passed: boolean;
  exitCode: number | null;
  durationMs: number;
  outputTail: string;
}

/**
 * Checks out `sha` (detached, discarding leftovers of an earlier run) in ccwave's integration
 * worktree and runs the user's test command there through the shell, logging all output.
 */
export async function runTestCommand(exec: GitExec, sha: string, command: string, logFile: string): Promise<TestOutcome> {
  await exec.run(['checkout', '--quiet', '--force', '--detach', sha]);
  await exec.run(['clean', '-fdq']);
  mkdirSync(path.dirname(logFile), { recursive: true });
  return runShell(command, exec.cwd, logFile);
}

/** Runs a command the user wrote (test, setup) through the shell, logging and keeping the tail. */
export function runShell(command: string, cwd: string, logFile: string, env: NodeJS.ProcessEnv = process.env): Promise<TestOutcome> {
  const started = Date.now();
  const log = createWriteStream(logFile, { flags: 'a' });
  // A log that cannot be written (a full disk) must not kill the runner: the tail is kept anyway.
  log.on('error', () => undefined);
  let tail = Buffer.alloc(0);
  const keep = (chunk: Buffer): void => {
    log.write(chunk);
    tail = Buffer.concat([tail, chunk]);
    if (tail.length > OUTPUT_TAIL_BYTES * 2) tail = tail.subarray(tail.length - OUTPUT_TAIL_BYTES);
  };
  return new Promise((resolve) => {
    // detached: the command gets its own process group, so a stop can end all it started.
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let finished = false;
    const finish = (exitCode: number | null, error?: Error): void => {
      if (finished) return;
      finished = true;
      if (error) keep(Buffer.from(`\n${error.message}\n`));
      log.end();
      const text = tail.subarray(Math.max(0, tail.length - OUTPUT_TAIL_BYTES)).toString('utf8');
      resolve({ passed: exitCode === 0, exitCode, durationMs: Date.now() - started, outputTail: text });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}
