import { Diagnostics, type Diagnostic } from './diagnostics.js';
import { assignWaves, type WaveAssignment } from './assign-waves.js';
import { buildFeatureGraph, type DoneFeature, type MergedInfo } from './feature-graph.js';
import { scanFeatures } from './scan-features.js';
import { writeWaves } from './write-waves.js';
import { MAX_PLAN_BYTES } from './plan-shape.js';

export interface PlanFeaturesInput {
  /** Absolute folder of feature folders. */
  featuresDir: string;
  /** Repository root: PROMPT.md files must stay inside it. */
  root: string;
  /** Tasks already merged into base (read from git by the caller). */
  merged: ReadonlyMap<string, MergedInfo>;
  maxWaveSize?: number;
  existing?: string;
  featuresSetting?: string;
}

export interface FeaturePlan {
  assignment: WaveAssignment;
  done: DoneFeature[];
  /** The WAVES.md to write. */
  text: string;
}

/** Features folder → waves → WAVES.md text, or every problem that prevents a plan. */
export function planFeatures(input: PlanFeaturesInput): { plan?: FeaturePlan; diagnostics: Diagnostic[] } {
  const diagnostics = new Diagnostics();
  const specs = scanFeatures(input.featuresDir, input.root, diagnostics);
  const graph = buildFeatureGraph(specs, input.merged, diagnostics);
  if (diagnostics.hasErrors) return { diagnostics: diagnostics.sorted() };
  if (graph.pending.length === 0 && graph.done.length === 0) {
    diagnostics.error(input.featuresDir, { line: 1, column: 1 }, 'no feature folder with a PROMPT.md to plan', 'write one PROMPT.md per feature folder (`ccwave init` writes an example)');
    return { diagnostics: diagnostics.sorted() };
  }
  const assignment = assignWaves(graph.pending, input.maxWaveSize);
  const text = planText(input, assignment, graph.done);
  if (Buffer.byteLength(text) > MAX_PLAN_BYTES) {
    diagnostics.error(
      input.featuresDir,
      { line: 1, column: 1 },
      `the plan for ${graph.pending.length} features would be larger than a plan may be (${MAX_PLAN_BYTES / 1024} KB)`,
      'split the features into several folders and plan each',
    );
    return { diagnostics: diagnostics.sorted() };
  }
  return { plan: { assignment, done: graph.done, text }, diagnostics: diagnostics.sorted() };
}

/** The WAVES.md text of `assignment`: the draft's, or the one a review left. */
export function planText(input: Pick<PlanFeaturesInput, 'existing' | 'featuresSetting'>, assignment: WaveAssignment, done: readonly DoneFeature[]): string {
  return writeWaves({
    ...(input.existing !== undefined ? { existing: input.existing } : {}),
    ...(input.featuresSetting !== undefined ? { featuresSetting: input.featuresSetting } : {}),
    assignment,
    done,
  });
}
