import { code, listOf, oneLine, shaCode } from './markdown-text.js';
import type { WatchItem } from './retro-types.js';

/** Shared paths listed per group before "and N more": the point is the overlap, not the inventory. */
const MAX_SHARED_PATHS = 10;

/** One bullet of "What to watch next wave": what happened and what to do about it. */
export function watchText(item: WatchItem): string {
  switch (item.kind) {
    case 'base-failing':
      return (
        `**The tests were already failing on the wave's base** (${shaCode(item.sha)}${item.command ? `, ${code(item.command)}` : ''}): ` +
        'fix them first, or every merge is judged against a red baseline.'
      );
    case 'failed':
      return failedText(item);
    case 'unfinished':
      return `${code(item.task)} did not finish (${item.status}) when this retrospective was written.`;
    case 'over-budget':
      return `${code(item.task)} stopped at its budget${reasonSuffix(item.reason)}: a run with a larger \`taskBudget\` or \`budget\` continues its session.`;
    case 'no-commits':
      return `${code(item.task)} finished without committing anything: check its worktree for uncommitted work, and whether the task was needed.`;
    case 'conflict':
      return (
        `${code(item.task)} conflicted with the merged work in ${listOf(item.paths.map(code), MAX_SHARED_PATHS)}` +
        `${item.branch ? `; its commits are kept on ${code(item.branch)}` : ''}: resolve it, or plan it again on top of this wave.`
      );
    case 'resolved-conflict':
      return (
        `${code(item.task)}'s agent resolved a merge conflict in ${listOf(item.paths.map(code), MAX_SHARED_PATHS)} by itself` +
        `${item.mergeSha ? ` (merged as ${shaCode(item.mergeSha)})` : ''}: review how both sides were kept.`
      );
    case 'tests-failed':
      return `${code(item.task)} was not merged because the tests failed with it${reasonSuffix(item.reason)}.`;
    case 'flaky':
      return `The tests gave different results on the same commit ${shaCode(item.sha)} (${listOf(item.testIds.map(code))}): ` + 'they look flaky, so a red test gate next wave may be noise.';
    case 'shared-files':
      return `${listOf(item.tasks.map(code))} all changed ${listOf(item.paths.map(code), MAX_SHARED_PATHS)}: ` + 'next-wave tasks touching these files are the likeliest to conflict.';
  }
}

function failedText(item: Extract<WatchItem, { kind: 'failed' }>): string {
  const task = code(item.task);
  switch (item.status) {
    case 'timeout':
      return `${task} timed out${reasonSuffix(item.reason)}: split the task or raise its \`timeout\`.`;
    case 'cancelled':
      return `${task} was cancelled${reasonSuffix(item.reason)}.`;
    case 'skipped':
      return `${task} was skipped${reasonSuffix(item.reason)}: tasks that need it will miss its work.`;
    case 'failed':
      return `${task} failed${reasonSuffix(item.reason)}.`;
  }
}

function reasonSuffix(reason: string | undefined): string {
  return reason ? `: ${oneLine(reason).replace(/\.$/, '')}` : '';
}
