import path from 'node:path';
import type { RunOverview } from '../journal/run-overview.js';
import { COUNT_GROUPS, describeTask } from './format/task-status.js';
import { padEnd } from './format/text.js';

/** Version of the `ccwave runs --json` shape; bumped when a field changes meaning or goes away. */
export const RUN_LIST_VERSION = 1;

export type RunOutcome = 'running' | 'finished' | 'interrupted' | 'abandoned' | 'unreadable';

/** One run as `ccwave runs` shows it (and prints with --json). */
export interface RunListEntry {
  runId: string;
  /** The plan file, relative to the repository root when inside it. */
  plan: string;
  planName: string;
  startedAt?: string;
  outcome: RunOutcome;
  exitCode?: number;
  /** Tasks per group, as the summaries count them (merged, failed, ...); non-zero ones only. */
  tasks: Record<string, number>;
  /** A run of only some tasks: which. */
  only?: string[];
  rerunOf?: string;
  /** Why the journal could not be read. */
  problem?: string;
}

/** Newest first. Pure: everything comes from the overviews. */
export function runListEntries(overviews: readonly RunOverview[], repoRoot: string): RunListEntry[] {
  return [...overviews].reverse().map((overview) => {
    if (!overview.readable) return { runId: overview.runId, plan: '', planName: '', outcome: 'unreadable', tasks: {}, problem: overview.problem };
    const { state, activity } = overview;
    const relative = path.relative(repoRoot, state.planFile);
    const kinds = Object.values(state.tasks).map((task) => describeTask(task, (iso) => iso).kind);
    const tasks: Record<string, number> = {};
    for (const group of COUNT_GROUPS) {
      const n = kinds.filter((kind) => group.kinds.includes(kind)).length;
      if (n > 0) tasks[group.label] = n;
    }
    const outcome: RunOutcome = activity.kind === 'live' ? 'running' : activity.kind;
    return {
      runId: overview.runId,
      plan: relative && !relative.startsWith('..') ? relative.split(path.sep).join('/') : state.planFile,
      planName: state.planName,
      ...(state.startedAt ? { startedAt: state.startedAt } : {}),
      outcome,
      ...(state.exitCode !== undefined ? { exitCode: state.exitCode } : {}),
      tasks,
      ...(state.selection ? { only: state.selection.tasks } : {}),
      ...(state.selection?.rerunOf ? { rerunOf: state.selection.rerunOf } : {}),
    };
  });
}

const GAP = '  ';

/** The table `ccwave runs` prints: one line per run, newest first. */
export function formatRunList(entries: readonly RunListEntry[], localTime: (iso: string) => string): string {
  const rows = entries.map((entry) => [entry.runId, entry.plan || '?', entry.startedAt ? localTime(entry.startedAt) : '-', outcomeText(entry)] as const);
  const widths = [0, 1, 2].map((i) => Math.max(['RUN', 'PLAN', 'STARTED'][i]!.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < 3 ? padEnd(cell, widths[i]!) : cell))
      .join(GAP)
      .trimEnd();
  return `${[line(['RUN', 'PLAN', 'STARTED', 'OUTCOME']), ...rows.map(line)].join('\n')}\n`;
}

function outcomeText(entry: RunListEntry): string {
  const counts = Object.entries(entry.tasks)
    .map(([label, n]) => `${n} ${label}`)
    .join(' · ');
  const head =
    entry.outcome === 'finished'
      ? `exit ${entry.exitCode ?? '?'}`
      : entry.outcome === 'abandoned'
        ? 'stopped unexpectedly'
        : entry.outcome === 'interrupted'
          ? 'interrupted'
          : entry.outcome === 'unreadable'
            ? `unreadable journal: ${entry.problem ?? ''}`
            : 'running';
  return [head, counts, entry.only ? `only ${entry.only.join(', ')}` : ''].filter(Boolean).join(' · ');
}
