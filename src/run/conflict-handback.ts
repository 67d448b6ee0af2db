import type { TaskState } from '../journal/run-state.js';
import type { ConflictRequest } from '../merge/queue.js';
import type { RunContext } from './context.js';
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
 * Hands a merge conflict back to the task's own agent, in its own worktree and session. Resolves
 * to the branch's new tip when the agent finished with it committed, or undefined.
 */
export async function resolveConflictWithAgent(ctx: RunContext, state: TaskState, request: ConflictRequest, pause: UsagePause): Promise<string | undefined> {
  const task = ctx.plan.waves.flatMap((w) => w.tasks).find((t) => t.id === state.id);
  if (!task || ctx.stop.stopping) return undefined;
  ctx.live.line(task.id, `resolving a merge conflict in ${request.paths.join(', ')}`);
  const result = await runAttempt(ctx, task, pause, conflictMessage(request));
  if (result.status !== 'done') return undefined;
  finish(ctx, task.id, result);
  return ctx.recorder.state.tasks[task.id]?.tipSha;
}
