import type { RetroFacts, TestFacts, WatchItem } from './retro-types.js';

/**
 * What the next wave should look out for, derived from the wave's facts. Pure. The order puts what
 * blocks everything (a red base) first and what only deserves attention (shared files) last.
 */
export function deriveWatchList(facts: Omit<RetroFacts, 'watch'>): WatchItem[] {
  const items: WatchItem[] = [];
  const baseFailure = facts.tests.runs.find((test) => test.onBase && test.passed === false);
  if (baseFailure && facts.tests.baseFailing) items.push({ kind: 'base-failing', sha: baseFailure.sha, command: baseFailure.command });

  for (const task of facts.tasks) {
    if (task.status === 'failed' || task.status === 'timeout' || task.status === 'cancelled' || task.status === 'skipped') {
      items.push({ kind: 'failed', task: task.id, status: task.status, reason: task.reason });
    } else if (task.status === 'over-budget') {
      items.push({ kind: 'over-budget', task: task.id, reason: task.reason });
    } else if (task.status !== 'done') {
      items.push({ kind: 'unfinished', task: task.id, status: task.status });
    } else if (task.commits === 0) {
      // An agent that says "done" without committing is a known failure mode, not a success.
      items.push({ kind: 'no-commits', task: task.id });
    }
  }
  for (const task of facts.tasks) {
    const merge = task.merge;
    if (merge?.status === 'conflict') items.push({ kind: 'conflict', task: task.id, paths: merge.conflictedPaths, branch: task.branch });
    if (task.handback && (merge?.status === 'merged' || merge?.status === 'already-merged')) {
      items.push({ kind: 'resolved-conflict', task: task.id, paths: task.handback.paths, ...(merge.mergeSha ? { mergeSha: merge.mergeSha } : {}) });
    }
    if (merge?.status === 'tests-failed') items.push({ kind: 'tests-failed', task: task.id, reason: merge.reason });
  }
  items.push(...flakyTests(facts.tests.runs));
  items.push(...sharedFiles(facts.tasks));
  return items;
}

/** The same commit tested twice with different results: the tests, not the code, are unreliable. */
function flakyTests(tests: readonly TestFacts[]): WatchItem[] {
  const bySha = new Map<string, TestFacts[]>();
  for (const test of tests) {
    if (test.passed === undefined) continue;
    bySha.set(test.sha, [...(bySha.get(test.sha) ?? []), test]);
  }
  const items: WatchItem[] = [];
  for (const [sha, runs] of bySha) {
    if (runs.some((run) => run.passed) && runs.some((run) => !run.passed)) {
      items.push({ kind: 'flaky', sha, testIds: runs.map((run) => run.testId) });
    }
  }
  return items;
}

/** Files more than one task changed, grouped by the tasks that share them: next wave's likely conflicts. */
function sharedFiles(tasks: RetroFacts['tasks']): WatchItem[] {
  const owners = new Map<string, string[]>();
  for (const task of tasks) {
    for (const file of task.diff?.files ?? []) owners.set(file, [...(owners.get(file) ?? []), task.id]);
  }
  const groups = new Map<string, { tasks: string[]; paths: string[] }>();
  for (const [file, ids] of owners) {
    if (ids.length < 2) continue;
    const key = ids.join('\0');
    const group = groups.get(key) ?? { tasks: ids, paths: [] };
    group.paths.push(file);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({ kind: 'shared-files', tasks: group.tasks, paths: group.paths.sort() }));
}
