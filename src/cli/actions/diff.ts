import { inlineText } from '../../control-chars.js';
import { EXIT } from '../../errors.js';
import { showDiff } from '../../git/show-diff.js';
import { changesRange } from '../../report/retro-facts.js';
import { processIO, type CommandIO } from '../command-io.js';
import { findRunTask } from '../run-task.js';
import { shortSha } from '../../format/sha.js';

export interface DiffOptions {
  /** The task id, or a unique prefix. */
  task: string;
  stat?: boolean;
  run?: string;
  cwd?: string;
}

/**
 * `ccwave diff`: the task's changes as the retrospective counts them, shown by `git diff` with the
 * user's terminal (pager, colours). What is shown is said on stderr, so stdout stays a patch.
 */
export async function diffCommand(options: DiffOptions, io: CommandIO = processIO): Promise<number> {
  const { repo, task } = await findRunTask(options.task, options);
  const range = await changesRange(repo, task);
  if (!range || range.from === range.to) {
    io.err(`${task.id} made no commits (${task.status}${task.reason ? `: ${inlineText(task.reason)}` : ''})\n`);
    return EXIT.ok;
  }
  const merged = range.to === task.merge?.mergeSha;
  const what = merged ? `what its merge brought (git diff ${shortSha(range.to)}^ ${shortSha(range.to)})` : `its branch's changes (git diff ${shortSha(range.from)} ${shortSha(range.to)})`;
  io.err(`${task.id}: ${what}\n`);
  const code = await showDiff(repo.topLevel, range.from, range.to, { stat: options.stat });
  return code === 0 ? EXIT.ok : EXIT.tasksFailed;
}
