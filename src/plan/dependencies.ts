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
export function checkDependencies(
  tasks: DependencyInput[],
  featureNames: readonly string[],
  diagnostics: Diagnostics,
): Map<string, string[]> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const planIds = [...byId.keys()];
  const edges = new Map<string, { to: string; ref: DependencyRef }[]>();
  for (const task of tasks) {
    const out: { to: string; ref: DependencyRef }[] = [];
    for (const ref of task.requires) {
      const inPlan = lookupId(planIds, ref.id);
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
        diagnostics.error(task.promptFile, ref.at, `\`${task.id}\` (wave ${task.wave}) requires \`${to}\`, which is in ${where}`, `a dependency must be in an earlier wave: move \`${to}\` before wave ${task.wave}, or \`${task.id}\` after wave ${dependency.wave}`);
      }
    }
  }
  return new Map([...edges].map(([id, out]) => [id, out.map((e) => e.to)]));
}

/** Reports each dependency cycle once; returns the ids of every task on a cycle. */
function reportCycles(
  tasks: DependencyInput[],
  edges: Map<string, { to: string; ref: DependencyRef }[]>,
  diagnostics: Diagnostics,
): Set<string> {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const members = new Set<string>();
  const seen = new Set<string>();
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const visit = (id: string): void => {
    state.set(id, 'active');
    stack.push(id);
    for (const { to } of edges.get(id) ?? []) {
      if (state.get(to) === 'active') {
        const cycle = stack.slice(stack.indexOf(to));
        const key = [...cycle].sort().join(' ');
        cycle.forEach((m) => members.add(m));
        if (seen.has(key)) continue;
        seen.add(key);
        const first = byId.get(cycle[0]!)!;
        const ref = edges.get(first.id)!.find((e) => e.to === (cycle[1] ?? first.id))!.ref;
        diagnostics.error(first.promptFile, ref.at, `dependency cycle: ${[...cycle, cycle[0]].join(' → ')}`, 'remove one of these `Requires:` entries');
      } else if (!state.has(to)) {
        visit(to);
      }
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const task of tasks) if (!state.has(task.id)) visit(task.id);
  return members;
}
