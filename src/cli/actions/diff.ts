import { spawn } from 'node:child_process';
import { inlineText } from '../../control-chars.js';
import { EXIT } from '../../errors.js';
import { gitEnv } from '../../git/exec.js';
import { changesRange } from '../../report/retro-facts.js';
import type { DiffOptions } from '../commands/diff.js';
import { findRunTask } from './run-task.js';
import { shortSha } from '../../format/sha.js';

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
  const what = merged ? `what its merge brought (git diff ${shortSha(range.to)}^ ${shortSha(range.to)})` : `its branch's changes (git diff ${shortSha(range.from)} ${shortSha(range.to)})`;
  process.stderr.write(`${task.id}: ${what}\n`);
  // External diff tools and textconv filters run commands named in config: not for a read-only view.
  const args = ['diff', '--no-ext-diff', '--no-textconv', ...(options.stat ? ['--stat'] : []), '--end-of-options', range.from, range.to, '--'];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('git', args, { cwd: repo.topLevel, env: gitEnv(), stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
  return code === 0 ? EXIT.ok : EXIT.tasksFailed;
}
