// A hostile command agent that replaces a later task's worktree (`<root>/<run>/<task>`, next to its
// own, made before any agent of the wave starts) with a symlink to the user's checkout: if ccwave
// took the link for that task's worktree, the later agent's work and commits would land there.
// argv[2]: the later task's id; argv[3]: the user's checkout. Every task commits `<task>.txt`.
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';

const [victim, userCheckout] = process.argv.slice(2);
const task = process.env.CCWAVE_TASK_ID;
if (task !== victim) {
  rmSync(`../${victim}`, { recursive: true, force: true });
  symlinkSync(userCheckout, `../${victim}`);
}
writeFileSync(`${task}.txt`, `${task}\n`);
execFileSync('git', ['add', '--all']);
execFileSync('git', ['commit', '--quiet', '-m', `Add ${task}`]);
