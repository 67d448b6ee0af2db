import type { Wave } from '../plan/types.js';
import { collectRetroFacts } from '../report/retro-facts.js';
import { renderRetro } from '../report/retro-markdown.js';
import { defaultRetroPath } from '../report/retro-path.js';
import { writeRetro } from '../report/write-retro.js';
import { writeLessons } from './retro-lessons.js';
import type { RunContext } from './context.js';
import { StopRequested } from '../errors.js';
import { skippedAny } from './already-merged.js';

/**
 * Writes the wave's retrospective and commits it on the integration branch, so the next wave's
 * agents can read it; returns the new integration tip. A retrospective whose path an agent made
 * unsafe (a symlink on the way) is skipped and journaled with the reason: the wave goes on.
 */
export async function writeWaveRetro(ctx: RunContext, wave: Wave, tip: string): Promise<string> {
  const known = ctx.recorder.state.waves.find((w) => w.index === wave.index);
  if (known?.retro && known.retro.sha === tip) return tip;
  const facts = await collectRetroFacts(ctx.repo, ctx.recorder.state, wave.index, ctx.plan);
  let markdown = renderRetro(facts);
  let lessons: string | undefined;
  if (ctx.plan.settings.retro.agent && !ctx.stop.stopping) {
    const drawn = await writeLessons(ctx, wave.index, markdown);
    // A lessons session cut short by the stop is drawn again on resume, not reported as failed.
    if (ctx.stop.stopping) throw new StopRequested('the lessons session');
    lessons = drawn.lessons;
    markdown += lessons ? `\n## Lessons\n\n${lessons}\n` : `\n## Lessons\n\n_The lessons session did not finish: ${drawn.failure ?? 'no LESSONS.md'}._\n`;
  }
  const written = await writeRetro(ctx.repo, {
    integrationWorktree: ctx.integration.worktree,
    integrationBranch: ctx.integration.branch,
    expectedTip: tip,
    retroDir: ctx.plan.settings.retro.dir,
    planName: ctx.plan.name,
    markdown,
    runId: ctx.runId,
    wave: wave.index,
    // A run that took only some tasks, or left out those already merged, writes beside the earlier run's file.
    ...(ctx.recorder.state.selection || skippedAny(ctx.recorder.state) ? { path: rerunRetroPath(ctx, wave.index) } : {}),
  });
  if ('refused' in written) {
    const skipped = known?.retroSkipped;
    if (skipped?.path !== written.path || skipped.reason !== written.refused) {
      ctx.recorder.record({ type: 'retro-skipped', wave: wave.index, path: written.path, reason: written.refused });
    }
    return tip;
  }
  ctx.recorder.record({ type: 'retro-written', wave: wave.index, path: written.path, sha: written.sha, ...(lessons ? { lessons } : {}) });
  return written.sha;
}

/**
 * A run of only some tasks (or one that left out those already merged) writes its own file next to
 * the wave's: the wave's retrospective from the earlier run stays as it was in the checkout.
 */
function rerunRetroPath(ctx: RunContext, wave: number): string {
  return defaultRetroPath(ctx.plan.settings.retro.dir, ctx.plan.name, wave).replace(/\.md$/, `-rerun-${ctx.runId}.md`);
}
