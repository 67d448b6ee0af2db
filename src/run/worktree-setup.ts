import { existsSync, lstatSync, unlinkSync } from 'node:fs';
import { GitCommandError } from '../git/exec.js';
import { readRef } from '../git/refs.js';
import { addWorktree, addWorktreeOfBranch, pruneWorktrees } from '../git/worktrees.js';
import { planTaskWorktree } from '../git/task-worktrees.js';
import type { Task } from '../plan/types.js';
import type { RunContext } from './context.js';
import { copyIntoWorktree } from './copy-into-worktree.js';
import { assertOwnWorktree } from './integration-worktree.js';

/**
 * Gives a task its worktree and branch, forked from `fromSha`, unless it already has one (a
 * resumed run). The intent is journaled first, so a crash in between is recognised later. Called
 * again before every attempt: the worktrees sit side by side, and any agent can replace another's
 * with a symlink to the user's checkout, where the next agent would then work and commit.
 */
export async function ensureTaskWorktree(ctx: RunContext, task: Task, fromSha: string): Promise<void> {
  const known = ctx.recorder.state.tasks[task.id]?.worktree;
  if (known) removeIfNotFolder(ctx, task.id, known.path);
  if (known?.created && existsSync(known.path)) {
    await assertOwnWorktree(ctx.repo, known.path, `the worktree of task ${task.id}`);
    return;
  }
  if (known && existsSync(known.path)) {
    // Created, but the confirmation was lost in a crash.
    ctx.recorder.record({ type: 'worktree-created', task: task.id, path: known.path, branch: known.branch, fromSha: known.fromSha });
    return;
  }
  if (!known) {
    await newTaskWorktree(ctx, task, fromSha);
    return;
  }
  // Journaled before (an intent, or a worktree deleted by hand since): the same names again, so a
  // task goes on from its own branch and commits.
  const planned = { path: known.path, branch: known.branch, fromSha: known.fromSha };
  if ((await pruneAndReadBranch(ctx, planned.branch)) !== undefined) {
    // The branch survived (its folder was deleted): never recreate it over its commits.
    await addWorktreeOfBranch(ctx.repo, planned.path, planned.branch);
    if (known.created) ctx.recorder.record({ type: 'repair', action: 'task-worktree-recreated', task: task.id, detail: `${planned.path} was missing; checked out ${planned.branch} again` });
  } else {
    await addWorktree(ctx.repo, planned);
  }
  ctx.recorder.record({ type: 'worktree-created', task: task.id, ...planned });
  await copyIgnoredFiles(ctx, task, planned.path);
}

/**
 * A task's first worktree. Its branch name and folder were just found free, and `worktree add -b`
 * refuses an existing branch by itself, so no prune or ref read first; git's record of a worktree
 * whose folder is gone, at this very path, makes the add fail: dropped (`worktree prune`) and tried
 * once more, only then.
 */
async function newTaskWorktree(ctx: RunContext, task: Task, fromSha: string): Promise<void> {
  const planned = await planTaskWorktree(ctx.repo, { root: ctx.worktreeRoot, runId: ctx.runId, wave: task.wave, taskId: task.id, fromSha });
  ctx.recorder.record({ type: 'worktree-intent', task: task.id, ...planned });
  try {
    await addWorktree(ctx.repo, planned);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    await pruneWorktrees(ctx.repo);
    await addWorktree(ctx.repo, planned);
  }
  ctx.recorder.record({ type: 'worktree-created', task: task.id, ...planned });
  await copyIgnoredFiles(ctx, task, planned.path);
}

/** The branch's commit, after dropping git's record of worktrees whose folders are gone (this one's, say). */
async function pruneAndReadBranch(ctx: RunContext, branch: string): Promise<string | undefined> {
  await pruneWorktrees(ctx.repo);
  return readRef(ctx.repo.git, `refs/heads/${branch}`);
}

/** A symlink or file where the worktree belongs is removed (never what it points at), to be made again. */
function removeIfNotFolder(ctx: RunContext, taskId: string, worktree: string): void {
  const found = lstatOrUndefined(worktree);
  if (!found || found.isDirectory()) return;
  unlinkSync(worktree);
  const what = found.isSymbolicLink() ? 'a symlink' : 'a file';
  ctx.recorder.record({ type: 'repair', action: 'task-worktree-replaced', task: taskId, detail: `${worktree} was ${what}; removed it (not what it pointed to)` });
}

function lstatOrUndefined(file: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The `copy` setting: files git ignores (`.env`, `node_modules`) copied from the user's checkout,
 * as copy-on-write clones where the filesystem can (`cp --reflink=auto`), so a worktree is ready
 * without a full install. Never hard links: an agent editing one would change the user's copy.
 * An entry that cannot be copied safely (a symlink an earlier wave committed there) is journaled
 * and left out; the task goes on.
 */
async function copyIgnoredFiles(ctx: RunContext, task: Task, worktree: string): Promise<void> {
  for (const entry of ctx.plan.settings.copy) {
    const outcome = await copyIntoWorktree(ctx.plan.root, worktree, entry);
    if (outcome.kind === 'skipped') ctx.recorder.record({ type: 'copy-skipped', task: task.id, path: entry, reason: outcome.reason });
  }
}
