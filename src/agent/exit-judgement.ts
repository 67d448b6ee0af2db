import { constants } from 'node:os';
import type { WorktreeProbe } from './worktree-probe.js';

export const COMMAND_AUTO_COMMIT_MESSAGE = 'ccwave: commit work the command left uncommitted';

export interface ExitJudgement {
  status: 'done' | 'failed';
  reason: string;
  /** The SHA of the commit ccwave made for the command, if any. */
  autoCommit?: string;
  /** The commits since base it counted, oldest first (the auto-commit included). */
  commits?: string[];
}

/**
 * For agents whose process exit ends the task (plain commands): done means exit code 0, new
 * commits and no uncommitted changes (committed for it when the policy says so).
 */
export async function judgeCommandExit(exitCode: number, signal: number | undefined, probe: WorktreeProbe, baseSha: string, commitPolicy: 'ask' | 'auto'): Promise<ExitJudgement> {
  // A process killed by a signal (a crash, an OOM kill) can report exit code 0 through the PTY.
  if (signal) return { status: 'failed', reason: `the command was killed by ${signalName(signal)}` };
  if (exitCode !== 0) return { status: 'failed', reason: `the command exited with code ${exitCode}${SHELL_CODES[exitCode] ?? ''}` };
  let autoCommit: string | undefined;
  if (await probe.isDirty()) {
    if (commitPolicy !== 'auto') return { status: 'failed', reason: 'the command exited leaving uncommitted changes' };
    autoCommit = await probe.commitAll(COMMAND_AUTO_COMMIT_MESSAGE);
  }
  const commits = await probe.commitsSince(baseSha);
  if (commits.length === 0) return { status: 'failed', reason: 'the command exited with code 0 but made no commits', commits };
  return { status: 'done', reason: `${commits.length} commit(s), clean worktree`, commits, ...(autoCommit ? { autoCommit } : {}) };
}

/**
 * What a shell's own codes mean. A script the user has but never committed is the usual cause of
 * a 127: a worktree holds only what base's last commit has.
 */
const SHELL_CODES: Record<number, string> = {
  126: ' (a program it ran is not executable)',
  127: ' (a program it ran was not found: is it committed, or on PATH? a worktree holds only committed files)',
};

function signalName(signal: number): string {
  const name = Object.entries(constants.signals).find(([, n]) => n === signal)?.[0];
  return name ? `signal ${signal} (${name})` : `signal ${signal}`;
}
