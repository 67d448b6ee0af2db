import type { Diagnostics } from './diagnostics.js';
import { reportCycles } from './dependencies.js';
import type { DeclaredFile, FeatureSpec } from './feature-spec.js';
import type { DependencyRef } from './parse-prompt.js';
import { lookupId } from './resolve-task.js';
import { closestFew, nearest } from './suggest.js';

/** A feature's merge into base, as found on base's first-parent history. */
export interface MergedInfo {
  mergeSha: string;
  runId: string;
}

/** A feature still to build, with the ids it waits for (only features still to build). */
export interface PendingFeature {
  id: string;
  title: string;
  priority: number;
  files: DeclaredFile[];
  requires: string[];
  /** Required features already merged into base: satisfied, shown in the reasoning. */
  requiresMerged: string[];
}

export interface DoneFeature extends MergedInfo {
  id: string;
  title: string;
}

export interface FeatureGraph {
  pending: PendingFeature[];
  done: DoneFeature[];
}

type Edge = { to: string; ref: DependencyRef };

/**
 * Resolves every `Requires:` and `Blocked by:` id, leaves out the features already merged, and
 * reports what makes a plan impossible: unknown ids, cycles, and features blocked by either.
 */
export function buildFeatureGraph(specs: readonly FeatureSpec[], merged: ReadonlyMap<string, MergedInfo>, diagnostics: Diagnostics): FeatureGraph {
  const ids = specs.map((s) => s.id);
  const done: DoneFeature[] = [];
  const pendingSpecs: FeatureSpec[] = [];
  for (const spec of specs) {
    const info = merged.get(spec.id);
    if (info) done.push({ id: spec.id, title: spec.title, mergeSha: info.mergeSha, runId: info.runId });
    else pendingSpecs.push(spec);
  }
  const edges = new Map<string, Edge[]>();
  const mergedDeps = new Map<string, string[]>();
  /** Features that cannot be planned, and why: shown to those that require them. */
  const unplannable = new Map<string, string>();
  for (const spec of pendingSpecs) {
    const out: Edge[] = [];
    const satisfied: string[] = [];
    for (const ref of [...spec.requires, ...spec.blockedBy]) {
      const found = ids.includes(ref.id) ? { found: ref.id } : lookupId(ids, ref.id);
      if (!('found' in found)) {
        reportUnknown(spec, ref, found.candidates, ids, diagnostics);
        unplannable.set(spec.id, `it requires an unknown feature \`${ref.id}\``);
        continue;
      }
      if (merged.has(found.found)) {
        if (!satisfied.includes(found.found)) satisfied.push(found.found);
      } else if (!out.some((e) => e.to === found.found)) {
        out.push({ to: found.found, ref });
      }
    }
    edges.set(spec.id, out);
    mergedDeps.set(spec.id, satisfied);
  }
  for (const id of reportCycles(pendingSpecs, edges, diagnostics)) unplannable.set(id, 'it is on a dependency cycle');
  reportBlocked(pendingSpecs, edges, unplannable, diagnostics);
  const pending = pendingSpecs.map((spec) => ({
    id: spec.id,
    title: spec.title,
    priority: spec.priority,
    files: spec.files,
    requires: edges.get(spec.id)!.map((e) => e.to),
    requiresMerged: mergedDeps.get(spec.id)!,
  }));
  return { pending, done };
}

function reportUnknown(spec: FeatureSpec, ref: DependencyRef, candidates: string[], ids: string[], diagnostics: Diagnostics): void {
  if (candidates.length > 1) {
    diagnostics.error(spec.promptFile, ref.at, `\`${spec.id}\` requires \`${ref.id}\`, which matches ${candidates.length} features`, `write one of: ${candidates.slice(0, 8).join(', ')}`);
    return;
  }
  const guess = nearest(ref.id, ids);
  const hint = guess ? `did you mean \`${guess}\`?` : ids.length ? `known features: ${closestFew(ref.id, ids).join(', ')}${ids.length > 3 ? ', …' : ''}` : undefined;
  diagnostics.error(spec.promptFile, ref.at, `\`${spec.id}\` requires \`${ref.id}\`, which is not a known feature`, hint);
}

/**
 * A feature that requires one that cannot be planned cannot be planned either. Only the direct
 * dependants are named: one cycle low in the graph would otherwise list most of the features.
 */
function reportBlocked(specs: readonly FeatureSpec[], edges: Map<string, Edge[]>, unplannable: Map<string, string>, diagnostics: Diagnostics): void {
  for (const spec of specs) {
    if (unplannable.has(spec.id)) continue;
    const edge = edges.get(spec.id)!.find((e) => unplannable.has(e.to));
    if (!edge) continue;
    diagnostics.error(
      spec.promptFile,
      edge.ref.at,
      `\`${spec.id}\` is blocked: it requires \`${edge.to}\`, which cannot be planned (${unplannable.get(edge.to)!})`,
      `fix \`${edge.to}\` first, or remove this dependency`,
    );
  }
}
