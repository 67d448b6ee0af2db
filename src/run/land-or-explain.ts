import { GitCommandError } from '../git/exec.js';
import { landBase, type LandOutcome } from '../merge/land.js';
import type { RunContext } from './context.js';

/**
 * Lands the integration branch on base; when git itself refuses (a stale `index.lock` or
 * `<branch>.lock` in the user's repository, left by a crashed git or planted by an agent), the
 * wave is left unlanded with git's reason and the command to land it, like a dirty checkout.
 */
export async function landOrExplain(ctx: RunContext): Promise<LandOutcome> {
  const base = ctx.recorder.state.base!.branch;
  try {
    return await landBase(ctx.repo, ctx.recorder, base, ctx.integration.branch);
  } catch (error) {
    if (!(error instanceof GitCommandError)) throw error;
    const why = error.stderr.split('\n').map((line) => line.trim()).find(Boolean) ?? `git exited with code ${error.exitCode}`;
    return { landed: false, why: `git refused: ${why}`, command: `git switch ${base} && git merge --ff-only ${ctx.integration.branch}` };
  }
}
