import { keepTaskCommits } from '../git/keep-commits.js';
import { casUpdateRef, isAncestor, readRef } from '../git/refs.js';
import { TRAILER_KEYS } from '../git/trailers.js';
import type { RunContext } from './context.js';

/**
 * Agents run with the user's rights in the same repository, so one can move (or delete) the
 * integration branch. Before the merge queue builds on it, the branch must be where the journal
 * says, or ahead of it only by this run's own commits (merges and retrospectives journaled late
 * after a crash). Anything else is moved back by compare-and-swap; the commit it pointed to is kept.
 */
export function restoreIntegrationBranch(ctx: RunContext): Promise<void> {
  // Agents end side by side: one check at a time, or the second would find the branch moved back.
  const next = (checks.get(ctx) ?? Promise.resolve()).then(() => checkIntegrationBranch(ctx));
  checks.set(ctx, next.catch(() => undefined));
  return next;
}

const checks = new WeakMap<RunContext, Promise<void>>();

async function checkIntegrationBranch(ctx: RunContext): Promise<void> {
  const expected = ctx.recorder.state.integration?.sha;
  if (!expected) return;
  const ref = `refs/heads/${ctx.integration.branch}`;
  const actual = await readRef(ctx.repo.git, ref);
  if (actual === expected || (actual && (await onlyOwnCommits(ctx, expected, actual)))) return;
  if (actual) {
    await keepTaskCommits(ctx.repo, { runId: ctx.runId, taskId: 'integration', worktree: ctx.integration.worktree, branch: ctx.integration.branch, fromSha: expected, tip: actual });
  }
  await ctx.repo.exclusive(() => casUpdateRef(ctx.repo.git, { ref, newSha: expected, oldSha: actual ?? null, reason: 'ccwave: integration branch moved outside ccwave; restored' }));
  ctx.recorder.record({
    type: 'repair',
    action: 'integration-restored',
    detail: actual
      ? `${ctx.integration.branch} had been moved to ${actual.slice(0, 12)} outside ccwave; moved back to ${expected.slice(0, 12)}`
      : `${ctx.integration.branch} had been deleted outside ccwave; recreated at ${expected.slice(0, 12)}`,
  });
}

/** True when `actual` is `expected` plus first-parent commits that all carry this run's trailer. */
async function onlyOwnCommits(ctx: RunContext, expected: string, actual: string): Promise<boolean> {
  const exec = ctx.repo.git;
  if (!(await isAncestor(exec, expected, actual))) return false;
  const { stdout } = await exec.run(['log', '--first-parent', `--format=%(trailers:key=${TRAILER_KEYS.run},valueonly)%x1e`, `${expected}..${actual}`, '--']);
  const runs = stdout.split('\x1e').slice(0, -1).map((value) => value.trim());
  return runs.every((run) => run === ctx.runId);
}
