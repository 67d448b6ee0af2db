import { readFileSync } from 'node:fs';
import type { RunOverview } from './run-overview.js';
import { journalPath } from './runs.js';

/** What the run journals say ccwave created, each with its run id: only these are ccwave's. */
export interface RecordedItems {
  /** Worktree folders (the integration worktree and task worktrees). */
  worktrees: Map<string, string>;
  /** Branches, short names (the integration branch and task branches). */
  branches: Map<string, string>;
}

export function recordedItems(dataDir: string, overviews: readonly RunOverview[]): RecordedItems {
  const items: RecordedItems = { worktrees: new Map(), branches: new Map() };
  for (const overview of overviews) {
    if (overview.readable) {
      const { state } = overview;
      if (state.integration) add(items, overview.runId, state.integration.worktree, state.integration.branch);
      for (const task of Object.values(state.tasks)) if (task.worktree) add(items, overview.runId, task.worktree.path, task.worktree.branch);
    } else {
      legibleRecords(dataDir, overview.runId, items);
    }
  }
  return items;
}

function add(items: RecordedItems, runId: string, worktree: string, branch: string): void {
  items.worktrees.set(worktree, runId);
  items.branches.set(branch, runId);
}

/**
 * A journal that cannot be replayed (a damaged line, a newer version) still names what the run
 * created on its legible lines: enough for `clean --run` to remove those, and only those.
 */
function legibleRecords(dataDir: string, runId: string, items: RecordedItems): void {
  let text: string;
  try {
    text = readFileSync(journalPath(dataDir, runId), 'utf8');
  } catch {
    return;
  }
  for (const line of text.split('\n')) {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof event !== 'object' || event === null) continue;
    const { type, path, branch, integration } = event as Record<string, unknown>;
    if ((type === 'worktree-intent' || type === 'worktree-created') && typeof path === 'string' && typeof branch === 'string') add(items, runId, path, branch);
    if (type === 'run-started' && typeof integration === 'object' && integration !== null) {
      const { worktree, branch: integrationBranch } = integration as Record<string, unknown>;
      if (typeof worktree === 'string' && typeof integrationBranch === 'string') add(items, runId, worktree, integrationBranch);
    }
  }
}
