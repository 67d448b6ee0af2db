import { plural } from '../format/plural.js';
import { blockquote, code, durationOrDash, oneLine, shaCode } from './markdown-text.js';
import { actionsText } from '../journal/action-words.js';
import { usageText } from '../journal/usage-text.js';
import type { DiffFacts, TaskFacts, TaskMergeFacts, TestFacts } from './retro-types.js';

/** Changed files listed per task; `filesChanged` still counts them all. */
const MAX_FILES_SHOWN = 15;

/** The `### task` section of a retrospective: what happened to one task, and what it was asked to do. */
export function taskSection(task: TaskFacts, planLoaded: boolean): string[] {
  const heading = task.title && task.title !== task.id ? `### ${code(task.id)}: ${oneLine(task.title)}` : `### ${code(task.id)}`;
  const lines = [heading, ''];
  lines.push(`- Status: ${task.status}${task.reason ? ` (${oneLine(task.reason)})` : ''}`);
  lines.push(`- Attempts: ${task.attempts}`);
  lines.push(`- Time: ${durationOrDash(task.durationMs)}`);
  lines.push(`- Commits: ${commitsText(task)}`);
  lines.push(...changesLines(task.diff));
  lines.push(`- Merge: ${task.merge ? mergeText(task.merge) : 'not merged'}${handbackText(task)}`);
  lines.push(`- Tests: ${task.tests.length === 0 ? 'none ran with this task' : task.tests.map(testText).join('; ')}`);
  if (task.usage) lines.push(`- Usage: ${usageText(task.usage)}${task.model ? ` (${code(task.model)})` : ''}`);
  const actions = actionsText(task.actions);
  if (actions) lines.push(`- ccwave stepped in: ${actions}`);
  lines.push('', '**Acceptance criteria**', '', ...criteriaLines(task, planLoaded));
  if (task.lastMessage) lines.push('', "**The agent's final message**", '', ...blockquote(task.lastMessage));
  return lines;
}

function commitsText(task: TaskFacts): string {
  const count = task.commits === undefined ? '—' : String(task.commits);
  const where = task.branch ? ` on ${code(task.branch)}` : '';
  const tip = task.tipSha && task.tipSha !== task.fromSha ? ` (tip ${shaCode(task.tipSha)})` : '';
  return `${count}${where}${tip}`;
}

function changesLines(diff: DiffFacts | undefined): string[] {
  if (!diff) return ['- Changes: unknown'];
  if (diff.filesChanged === 0) return ['- Changes: none'];
  const lines = [`- Changes: ${shortStat(diff)}`];
  for (const file of diff.files.slice(0, MAX_FILES_SHOWN)) lines.push(`  - ${code(file)}`);
  const more = diff.filesChanged - Math.min(diff.files.length, MAX_FILES_SHOWN);
  if (more > 0) lines.push(`  - … and ${plural(more, 'more file')}`);
  return lines;
}

/** The same words as `git diff --shortstat`. */
export function shortStat(diff: DiffFacts): string {
  return `${plural(diff.filesChanged, 'file')} changed, ${plural(diff.insertions, 'insertion')}(+), ${plural(diff.deletions, 'deletion')}(-)`;
}

export function mergeText(merge: TaskMergeFacts): string {
  const why = merge.reason ? `: ${oneLine(merge.reason)}` : '';
  switch (merge.status) {
    case 'merged':
      return `merged${merge.mergeSha ? ` as ${shaCode(merge.mergeSha)}` : ''}`;
    case 'already-merged':
      return merge.reason ? oneLine(merge.reason) : `already merged${merge.mergeSha ? ` (${shaCode(merge.mergeSha)})` : ''}`;
    case 'empty':
      return 'nothing to merge (no changes)';
    case 'conflict':
      return `conflict in ${merge.conflictedPaths.map(code).join(', ') || 'unknown files'}; not merged`;
    case 'tests-failed':
      return `not merged, the tests failed${why}`;
    case 'merging':
      return 'still merging when the journal ended';
  }
}

/** A conflict handed back to the agent stays visible after it was resolved. */
function handbackText(task: TaskFacts): string {
  if (!task.handback || task.merge?.status === 'conflict') return '';
  const paths = task.handback.paths.map(code).join(', ') || 'its branch';
  const rounds = task.handback.round > 1 ? ` (${plural(task.handback.round, 'round')})` : '';
  const resolved = task.merge?.status === 'merged' || task.merge?.status === 'already-merged';
  return resolved ? `, after its agent resolved a conflict in ${paths}${rounds}` : `; a conflict in ${paths} was handed back to its agent${rounds}`;
}

export function testVerdict(test: TestFacts): string {
  if (test.passed === undefined) return 'did not finish';
  if (test.passed) return (test.attempt ?? 1) > 1 ? `passed on retry (run ${test.attempt})` : 'passed';
  return test.exitCode === undefined || test.exitCode === null ? 'failed' : `failed (exit ${test.exitCode})`;
}

function testText(test: TestFacts): string {
  const time = test.durationMs === undefined ? '' : ` in ${durationOrDash(test.durationMs)}`;
  return `${code(test.testId)} on ${shaCode(test.sha)} ${testVerdict(test)}${time}`;
}

function criteriaLines(task: TaskFacts, planLoaded: boolean): string[] {
  if (!planLoaded) return ['_Not shown: the plan could not be read when this retrospective was made._'];
  if (!task.criteria) return ['_Not shown: the plan no longer lists this task._'];
  if (task.criteria.length === 0) return ['_None listed in its PROMPT.md._'];
  return task.criteria.map((criterion) => `- [${criterion.done ? 'x' : ' '}] ${oneLine(criterion.text)}`);
}
