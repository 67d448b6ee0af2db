// A command agent that writes shared.txt; when its branch comes back with a merge conflict it
// resolves it (keeping its side) and, on the way out, puts a symlink to the user's checkout
// where ccwave's integration worktree was. argv[2]: the user's checkout.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';

const userCheckout = process.argv[2];
const task = process.env.CCWAVE_TASK_ID;
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const prompt = readFileSync(process.env.CCWAVE_PROMPT_FILE, 'utf8');
const conflict = /could not merge your branch: it conflicts with the integration branch \(commit ([0-9a-f]{40})\)/.exec(prompt);
if (!conflict) {
  writeFileSync('shared.txt', `${task}\n`);
  git('add', 'shared.txt');
  git('commit', '--quiet', '-m', `${task} writes shared.txt`);
} else {
  try {
    git('merge', '--quiet', '--no-edit', conflict[1]);
  } catch {
    writeFileSync('shared.txt', `${task} and the others\n`);
    git('add', 'shared.txt');
    git('commit', '--quiet', '--no-edit');
  }
  rmSync('../_integration', { recursive: true, force: true });
  symlinkSync(userCheckout, '../_integration');
}
