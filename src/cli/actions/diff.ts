import { inlineText } from '../../control-chars.js';
import { EXIT } from '../../errors.js';
import { showDiff } from '../../git/show-diff.js';
import { changesRange } from '../../report/retro-facts.js';
import type { DiffOptions } from '../commands/diff.js';
import { findRunTask } from './run-task.js';

/**
 * `ccwave diff`: the task's changes as the retrospective counts them, shown by `git diff` with the
 * user's terminal (pager, colours). What is shown is said on stderr, so stdout stays a patch.
 */
export async function diff(taskRef: string, options: DiffOptions): Promise<number> {
  const { repo, task } = await findRunTask(taskRef, options);
  const range = await changesRange(repo, task);
  if (!range || range.from === range.to) {
    process.stderr.write(`${task.id} made no commits (${task.status}${task.reason ? `: ${inlineText(task.reason)}` : ''})\n`);
    return EXIT.ok;
  }
  const merged = range.to === task.merge?.mergeSha;
  const what = merged ? `what its merge brought (git diff ${range.to.slice(0, 7)}^ ${range.to.slice(0, 7)})` : `its branch's changes (git diff ${range.from.slice(0, 7)} ${range.to.slice(0, 7)})`;
  process.stderr.write(`${task.id}: ${what}\n`);
  const code = await showDiff(repo.topLevel, range.from, range.to, { stat: options.stat });
  return code === 0 ? EXIT.ok : EXIT.tasksFailed;
}
