import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { forceCheckoutDetached, removeUntracked } from '../git/checkout.js';
import type { GitExec } from '../git/exec.js';
import { runShell, type ShellOptions, type ShellOutcome } from '../process/user-command.js';

/** A test run's result: `end` tells a verdict (`exited`, `timeout`) from a run cut short by a stop. */
export type TestOutcome = ShellOutcome;

/**
 * Checks out `sha` (detached, discarding leftovers of an earlier run) in ccwave's integration
 * worktree and runs the user's test command there through the shell, logging all output.
 */
export async function runTestCommand(exec: GitExec, sha: string, command: string, logFile: string, options: ShellOptions): Promise<TestOutcome> {
  await forceCheckoutDetached(exec, sha);
  await removeUntracked(exec);
  mkdirSync(path.dirname(logFile), { recursive: true });
  return runShell(command, exec.cwd, logFile, options);
}
