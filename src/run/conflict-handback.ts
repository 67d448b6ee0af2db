import { GitCommandError } from '../git/exec.js';
import { commitsNotIn } from '../git/history.js';
import type { TaskState } from '../journal/run-state.js';
import type { ConflictRequest } from '../merge/queue.js';
import type { RunContext } from './context.js';
import { StopRequested } from '../errors.js';
import { finish, runAttempt } from './task-runner.js';
import type { UsagePause } from './usage-pause.js';

/** What the agent is told when its branch conflicts with the wave's merged work. */
export function conflictMessage(request: ConflictRequest): string {
  const overlap = request.overlapping.length ? ` The same files were changed by ${request.overlapping.join(', ')}, already merged.` : '';
  return [
    `ccwave could not merge your branch: it conflicts with the integration branch (commit ${request.integrationTip}) in ${request.paths.join(', ')}.${overlap}`,
    `Run \`git merge ${request.integrationTip}\` in this worktree, resolve every conflict keeping the intent of both sides, check that the project still builds and its tests pass, and commit the merge.`,
    'Nobody will answer questions: decide and continue.',
  ].join('\n');
}

/**
 * Hands a merge conflict back to the task's own agent, in its own worktree and session. The queue
 * has journaled the hand-back (`handback-started`); a task already running it when ccwave stopped
 * is continued in the same attempt, with the same message. Resolves to the branch's new tip when
 * the agent finished with it committed; otherwise the task ends with the hand-back's outcome and
 * this resolves to undefined. A stop of the run throws StopRequested: the hand-back stays
 * journaled as pending, and the next `ccwave run` continues it.
 */
export async function resolveConflictWithAgent(ctx: RunContext, state: TaskState, request: ConflictRequest, pause: UsagePause): Promise<string | undefined> {
  const task = ctx.plan.waves.flatMap((w) => w.tasks).find((t) => t.id === state.id);
  if (!task) return undefined;
  if (ctx.stop.stopping) throw new StopRequested(`the conflict hand-back of ${task.id}`);
  const continuing = ctx.recorder.state.tasks[task.id]?.status === 'running';
  ctx.live.line(task.id, `resolving a merge conflict in ${request.paths.join(', ')}`);
  const result = await runAttempt(ctx, task, pause, conflictMessage(request), { sameAttempt: continuing });
  // Whatever else ended the attempt once the run is stopping (a second Ctrl-C kills the agent) is the stop's doing too.
  if (result.status !== 'done' && ctx.stop.stopping) throw new StopRequested(`the conflict hand-back of ${task.id}`);
  if (result.status === 'done') {
    finish(ctx, task.id, result, await ownCommits(ctx, result.commits, request.integrationTip));
    return ctx.recorder.state.tasks[task.id]?.tipSha;
  }
  // Never left "running": the task ends with what became of the hand-back.
  if (result.status === 'interrupted' && ctx.taskStops.stopped(task.id)) {
    const tip = result.commits.at(-1);
    ctx.recorder.record({
      type: 'task-finished',
      task: task.id,
      status: 'cancelled',
      reason: 'stopped from the UI while resolving a merge conflict',
      commits: result.commits.length,
      ...(tip ? { tipSha: tip } : {}),
    });
  } else {
    finish(ctx, task.id, { ...result, reason: `while resolving a merge conflict: ${result.reason}` });
  }
  return undefined;
}

/**
 * The task's own commits: resolving the conflict merged the integration branch into the task's
 * branch, and the other tasks' commits that came with it are not the task's work.
 */
async function ownCommits(ctx: RunContext, commits: readonly string[], integrationTip: string): Promise<number> {
  const tip = commits.at(-1);
  if (!tip) return 0;
  try {
    return (await commitsNotIn(ctx.repo.git, tip, integrationTip)).length;
  } catch (error) {
    if (error instanceof GitCommandError) return commits.length;
    throw error;
  }
}
