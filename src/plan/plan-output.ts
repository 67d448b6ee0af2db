import type { Diagnostic } from './diagnostics.js';
import type { FeaturePlan } from './plan-features.js';
import { mergedText, placementReason, priorityName, riskText } from './plan-reasons.js';

/** Version of the `plan --json` document: a field renamed, removed or given another meaning bumps it. */
export const PLAN_JSON_VERSION = 1;

export function featurePlanToJson(plan: FeaturePlan, warnings: Diagnostic[], written: string | null) {
  return {
    schemaVersion: PLAN_JSON_VERSION,
    ok: true,
    written,
    waves: plan.assignment.waves.map((wave) => ({
      index: wave.index,
      features: wave.features.map((p) => ({
        id: p.feature.id,
        title: p.feature.title,
        priority: priorityName(p.feature.priority),
        requires: p.feature.requires,
        requiresMerged: p.feature.requiresMerged,
        files: p.feature.files.map((f) => f.path),
        earliestWave: p.earliest,
        delays: p.delays,
        reason: placementReason(p),
      })),
    })),
    merged: plan.done.map((d) => ({ id: d.id, title: d.title, mergeSha: d.mergeSha, runId: d.runId })),
    risks: plan.assignment.risks,
    warnings,
  };
}

/** `--explain`: one paragraph per feature, in plan order, then the merged ones and the risks. */
export function explainPlan(plan: FeaturePlan): string {
  const lines: string[] = [];
  for (const wave of plan.assignment.waves) {
    for (const p of wave.features) {
      lines.push(`${p.feature.id} (${priorityName(p.feature.priority)}) → wave ${wave.index}: ${placementReason(p)}`);
    }
  }
  for (const d of plan.done) lines.push(`${d.id} → left out: ${mergedText(d)}`);
  for (const risk of plan.assignment.risks) lines.push(`wave ${risk.wave} ${riskText(risk)}`);
  return `${lines.join('\n')}\n`;
}
