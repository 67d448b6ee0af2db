import type { Diagnostics } from './diagnostics.js';
import type { DependencyRef } from './parse-prompt.js';
import { lookupId } from './resolve-task.js';

export interface DependencyInput {
  id: string;
  wave: number;
  promptFile: string;
  requires: DependencyRef[];
}

/**
 * Resolves each task's `Requires:` ids against the plan and checks the order: a dependency
 * must be in an earlier wave, and there must be no cycle. Returns the resolved ids per task.
 */
export function checkDependencies(tasks: DependencyInput[], featureNames: readonly string[], diagnostics: Diagnostics): Map<string, string[]> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const planIds = [...byId.keys()];
  // Exact ids first: a prefix search per `Requires:` made a plan of thousands of tasks quadratic.
  const inPlanExactly = (id: string): { found: string } | { candidates: string[] } => (byId.has(id) ? { found: id } : lookupId(planIds, id));
  const edges = new Map<string, { to: string; ref: DependencyRef }[]>();
  for (const task of tasks) {
    const out: { to: string; ref: DependencyRef }[] = [];
    for (const ref of task.requires) {
      const inPlan = inPlanExactly(ref.id);
      if ('found' in inPlan) {
        if (!out.some((e) => e.to === inPlan.found)) out.push({ to: inPlan.found, ref });
      } else if ('found' in lookupId(featureNames, ref.id)) {
        diagnostics.warning(task.promptFile, ref.at, `\`${task.id}\` requires \`${ref.id}\`, which is not in this plan`, 'assuming it is already built; add it to an earlier wave if not');
      } else {
        diagnostics.warning(task.promptFile, ref.at, `\`${task.id}\` requires \`${ref.id}\`, which is not a known feature`);
      }
    }
    edges.set(task.id, out);
  }
  const inCycle = reportCycles(tasks, edges, diagnostics);
  for (const task of tasks) {
    for (const { to, ref } of edges.get(task.id)!) {
      const dependency = byId.get(to)!;
      if (inCycle.has(task.id) && inCycle.has(to)) continue;
      if (dependency.wave >= task.wave) {
        const where = dependency.wave === task.wave ? 'the same wave' : `a later wave (${dependency.wave})`;
        diagnostics.error(
          task.promptFile,
          ref.at,
          `\`${task.id}\` (wave ${task.wave}) requires \`${to}\`, which is in ${where}`,
          `a dependency must be in an earlier wave: move \`${to}\` before wave ${task.wave}, or \`${task.id}\` after wave ${dependency.wave}`,
        );
      }
    }
  }
  return new Map([...edges].map(([id, out]) => [id, out.map((e) => e.to)]));
}

/** Reports each dependency cycle once; returns the ids of every task on a cycle. */
export function reportCycles(tasks: Pick<DependencyInput, 'id' | 'promptFile'>[], edges: Map<string, { to: string; ref: DependencyRef }[]>, diagnostics: Diagnostics): Set<string> {
  const state = new Map<string, 'active' | 'done'>();
  /** The chain being explored, and where each of its ids sits in it. */
  const chain: string[] = [];
  const depth = new Map<string, number>();
  const members = new Set<string>();
  const seen = new Set<string>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const onBackEdge = (to: string): void => {
    const cycle = chain.slice(depth.get(to));
    const key = [...cycle].sort().join(' ');
    cycle.forEach((m) => members.add(m));
    if (seen.has(key)) return;
    seen.add(key);
    const first = byId.get(cycle[0]!)!;
    const ref = edges.get(first.id)!.find((e) => e.to === (cycle[1] ?? first.id))!.ref;
    diagnostics.error(first.promptFile, ref.at, `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`, 'remove one of these `Requires:` entries');
  };
  // Depth-first with a stack of its own: by recursion, a chain of a few thousand `Requires:`
  // overflowed the call stack.
  for (const task of tasks) {
    if (state.has(task.id)) continue;
    const frames: { id: string; next: number }[] = [];
    const enter = (id: string): void => {
      state.set(id, 'active');
      depth.set(id, chain.length);
      chain.push(id);
      frames.push({ id, next: 0 });
    };
    enter(task.id);
    while (frames.length > 0) {
      const frame = frames.at(-1)!;
      const out = edges.get(frame.id) ?? [];
      if (frame.next < out.length) {
        const { to } = out[frame.next++]!;
        if (state.get(to) === 'active') onBackEdge(to);
        else if (!state.has(to)) enter(to);
        continue;
      }
      frames.pop();
      chain.pop();
      depth.delete(frame.id);
      state.set(frame.id, 'done');
    }
  }
  return members;
}
