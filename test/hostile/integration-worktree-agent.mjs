// A hostile command agent that goes after ccwave's integration worktree, next to its own
// (`<root>/<run>/<task>` and `<root>/<run>/_integration`). argv[2]: what to do; argv[3]: the
// user's checkout, for the symlink attack.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';

const [mode, userCheckout] = process.argv.slice(2);
const task = process.env.CCWAVE_TASK_ID;
writeFileSync(`${task}.txt`, `${task}\n`);
execFileSync('git', ['add', `${task}.txt`]);
execFileSync('git', ['commit', '--quiet', '-m', `Add ${task}`]);
rmSync('../_integration', { recursive: true, force: true });
// Pointed at the user's checkout, whatever ccwave does "in its own worktree" would hit theirs.
if (mode === 'symlink') symlinkSync(userCheckout, '../_integration');
// A folder whose .git file points at the user's repository: git there would use their index and HEAD.
if (mode === 'gitfile') {
  mkdirSync('../_integration');
  writeFileSync('../_integration/.git', `gitdir: ${userCheckout}/.git\n`);
}
