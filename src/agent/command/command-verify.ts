import path from 'node:path';
import { GROUP_RECORD_SUFFIX, removeGroupRecord, writeGroupRecord } from '../../process/group-record.js';
import { describeFailure, runShell, type GroupTracker } from '../../process/user-command.js';
import type { ExitJudgement } from '../exit-judgement.js';

/**
 * Runs the user's verify command in the worktree of a command agent that exited with its work
 * committed. A failure fails the attempt with the command's last line, which the retry passes
 * back to the agent; a run stopping meanwhile gives no verdict.
 */
export async function verifyCommandWork(
  verify: { command: string; timeoutMs: number },
  where: { worktree: string; taskDir: string },
  options: { signal?: AbortSignal | undefined; tracker?: GroupTracker | undefined },
): Promise<ExitJudgement | 'interrupted'> {
  const record = path.join(where.taskDir, `verify${GROUP_RECORD_SUFFIX}`);
  const outcome = await runShell(verify.command, where.worktree, path.join(where.taskDir, 'verify.log'), {
    timeoutMs: verify.timeoutMs,
    signal: options.signal,
    tracker: options.tracker,
    // Left behind only by a crash: the resume ends the group it names.
    onSpawn: (group) => writeGroupRecord(record, { command: verify.command, group }),
  }).finally(() => removeGroupRecord(record));
  if (outcome.end === 'interrupted') return 'interrupted';
  if (outcome.passed) return { status: 'done', reason: 'verify passed' };
  return { status: 'failed', reason: describeFailure('verify', outcome, verify.timeoutMs) };
}
