import type { Wave } from '../plan/types.js';
import { collectRetroFacts } from '../report/retro-facts.js';
import { renderRetro } from '../report/retro-markdown.js';
import { writeRetro } from '../report/write-retro.js';
import type { RunContext } from './context.js';

/**
 * Writes the wave's retrospective and commits it on the integration branch, so the next wave's
 * agents can read it; returns the new integration tip.
 */
export async function writeWaveRetro(ctx: RunContext, wave: Wave, tip: string): Promise<string> {
  const known = ctx.recorder.state.waves.find((w) => w.index === wave.index)?.retro;
  if (known && known.sha === tip) return tip;
  const facts = await collectRetroFacts(ctx.repo, ctx.recorder.state, wave.index, ctx.plan);
  const written = await writeRetro(ctx.repo, {
    integrationWorktree: ctx.integration.worktree,
    integrationBranch: ctx.integration.branch,
    expectedTip: tip,
    retroDir: ctx.plan.settings.retro.dir,
    planName: ctx.plan.name,
    markdown: renderRetro(facts),
    runId: ctx.runId,
    wave: wave.index,
  });
  ctx.recorder.record({ type: 'retro-written', wave: wave.index, path: written.path, sha: written.sha });
  return written.sha;
}
