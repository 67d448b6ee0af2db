import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installProcessCleanup, PtyRegistry } from '../../agent/pty-registry.js';
import type { AgentTimeouts } from '../../agent/session-types.js';
import { plural } from '../../format/plural.js';
import { effectiveRunSettings, effectiveTaskSettings } from '../../plan/effective.js';
import { planText, type FeaturePlan, type PlanFeaturesInput } from '../../plan/plan-features.js';
import { featurePlanToJson } from '../../plan/plan-output.js';
import { MAX_PLAN_BYTES } from '../../plan/plan-shape.js';
import { applyReviewMoves, planRuleBreaks, type AppliedMove, type RefusedMove } from '../../plan/review-moves.js';
import type { PlanSettingsInput } from '../../plan/settings-schema.js';
import { reviewPlan } from '../../run/plan-review.js';

/** What the review did to the draft: shown before the plan is written, and in `--json`. */
export interface ReviewReport {
  applied: AppliedMove[];
  refused: RefusedMove[];
  /** Why the draft is written as it was: the session failed, or its answer could not be read. */
  failure?: string;
}

export interface ReviewDraftInput {
  plan: FeaturePlan;
  root: string;
  featuresDir: string;
  settings: PlanSettingsInput;
  render: Pick<PlanFeaturesInput, 'existing' | 'featuresSetting'>;
  timeouts?: AgentTimeouts;
}

/**
 * `plan --agent`: the plan's agent reviews the draft; each move it asks for is checked and the
 * valid ones applied. Whatever goes wrong, the draft stands and the report says why.
 */
export async function reviewDraft(input: ReviewDraftInput): Promise<{ plan: FeaturePlan; report: ReviewReport }> {
  const { plan } = input;
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'ccwave-plan-review-'));
  const registry = new PtyRegistry();
  const uninstall = installProcessCleanup(registry);
  try {
    const answered = await reviewPlan({
      root: input.root,
      featuresDir: input.featuresDir,
      featureIds: plan.assignment.waves.flatMap((w) => w.features.map((p) => p.feature.id)),
      draft: featurePlanToJson(plan, [], null),
      settings: effectiveTaskSettings(input.settings, {}, {}).settings,
      commandTimeout: effectiveRunSettings(input.settings, {}).settings.commandTimeout,
      workDir,
      registry,
      ...(input.timeouts ? { timeouts: input.timeouts } : {}),
    });
    if ('failure' in answered) return { plan, report: { applied: [], refused: [], failure: `${answered.failure} (its logs: ${workDir})` } };
    const maxWaveSize = input.settings.maxWaveSize;
    const reviewed = applyReviewMoves(plan.assignment, answered.answer, maxWaveSize);
    if ('error' in reviewed) return { plan, report: { applied: [], refused: [], failure: `${reviewed.error} (its logs: ${workDir})` } };
    const breaks = planRuleBreaks(reviewed.assignment, maxWaveSize);
    if (breaks.length > 0) return { plan, report: { applied: [], refused: reviewed.refused, failure: `the reviewed plan breaks a rule (${breaks.join('; ')}): none of its moves is applied` } };
    const text = planText(input.render, reviewed.assignment, plan.done);
    if (Buffer.byteLength(text) > MAX_PLAN_BYTES) return { plan, report: { applied: [], refused: reviewed.refused, failure: 'the reviewed plan would be larger than a plan may be' } };
    rmSync(workDir, { recursive: true, force: true });
    return { plan: { ...plan, assignment: reviewed.assignment, text }, report: { applied: reviewed.applied, refused: reviewed.refused } };
  } finally {
    registry.killAll();
    uninstall();
  }
}

/** The difference from the draft, one line per move, then each refusal. */
export function reviewText(report: ReviewReport): string {
  const lines: string[] = [];
  if (report.failure) lines.push(`review: ${report.failure}; the draft is kept`);
  else lines.push(`review: ${plural(report.applied.length, 'move')} applied, ${report.refused.length} refused`);
  for (const m of report.applied) lines.push(`  moved ${m.feature}: wave ${m.from} → wave ${m.to} (${m.reason})`);
  for (const r of report.refused) lines.push(`  refused move ${r.index} ${r.move}: ${r.why}`);
  return `${lines.join('\n')}\n`;
}
