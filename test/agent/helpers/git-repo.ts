import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../helpers/git.js';
import { makeRepo } from '../../helpers/repo.js';

export interface TaskRepo {
  root: string;
  repo: string;
  worktree: string;
  branch: string;
  /** ccwave's per-task folder, as the runner would put it inside the git dir. */
  taskDir: string;
  git(...args: string[]): string;
  cleanup(): void;
}

/** A temp repository with one commit and a task worktree on its own branch, like ccwave makes. */
export function makeTaskRepo(name = 'task-1'): TaskRepo {
  const r = makeRepo();
  const worktree = join(r.tmp, 'worktrees', name);
  const branch = `ccwave/${name}`;
  r.git('worktree', 'add', '-q', '-b', branch, worktree);
  const taskDir = join(r.dir, '.git', 'ccwave', 'run-1', name);
  mkdirSync(taskDir, { recursive: true });
  return {
    root: r.tmp,
    repo: r.dir,
    worktree,
    branch,
    taskDir,
    git: (...args) => git(worktree, ...args),
    cleanup: r.cleanup,
  };
}
