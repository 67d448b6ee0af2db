import { spawn } from 'node:child_process';
import { gitEnv } from './exec.js';

/**
 * `git diff from to` on the user's own terminal (their pager, their colours): resolves to git's
 * exit code. External diff tools and textconv filters run commands named in config: not for a
 * read-only view.
 */
export function showDiff(cwd: string, from: string, to: string, options: { stat?: boolean } = {}): Promise<number | null> {
  const args = ['diff', '--no-ext-diff', '--no-textconv', ...(options.stat ? ['--stat'] : []), '--end-of-options', from, to, '--'];
  return new Promise<number | null>((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(), stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
}
