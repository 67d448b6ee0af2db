import type { RunContext } from './context.js';
import { restoreIntegrationRef } from './integration-worktree.js';

/**
 * After each agent attempt and before the merge queue: the integration branch goes back where the
 * journal has it if an agent moved it (see `restoreIntegrationRef`).
 */
export function restoreIntegrationBranch(ctx: RunContext): Promise<void> {
  // Agents end side by side: one check at a time, or the second would find the branch moved back.
  const next = (checks.get(ctx) ?? Promise.resolve()).then(() => restoreIntegrationRef(ctx.repo, ctx.recorder, ctx.integration));
  checks.set(
    ctx,
    next.catch(() => undefined),
  );
  return next;
}

const checks = new WeakMap<RunContext, Promise<void>>();
