import type { WorktreeProbe } from './worktree-probe.js';

export const COMMAND_AUTO_COMMIT_MESSAGE = 'ccwave: commit work the command left uncommitted';

export interface ExitJudgement {
  status: 'done' | 'failed';
  reason: string;
  /** The SHA of the commit ccwave made for the command, if any. */
  autoCommit?: string;
}

/**
 * For agents whose process exit ends the task (plain commands): done means exit code 0, new
 * commits and no uncommitted changes (committed for it when the policy says so).
 */
export async function judgeCommandExit(
  exitCode: number,
  probe: WorktreeProbe,
  baseSha: string,
  commitPolicy: 'ask' | 'auto',
): Promise<ExitJudgement> {
  if (exitCode !== 0) return { status: 'failed', reason: `the command exited with code ${exitCode}` };
  let autoCommit: string | undefined;
  if (await probe.isDirty()) {
    if (commitPolicy !== 'auto') return { status: 'failed', reason: 'the command exited leaving uncommitted changes' };
    autoCommit = await probe.commitAll(COMMAND_AUTO_COMMIT_MESSAGE);
  }
  const commits = await probe.commitsSince(baseSha);
  if (commits.length === 0) return { status: 'failed', reason: 'the command exited with code 0 but made no commits' };
  return { status: 'done', reason: `${commits.length} commit(s), clean worktree`, ...(autoCommit ? { autoCommit } : {}) };
}
