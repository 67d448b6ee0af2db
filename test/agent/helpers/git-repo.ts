import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  const root = mkdtempSync(join(tmpdir(), 'ccwave-agent-'));
  const repo = join(root, 'repo');
  const worktree = join(root, 'worktrees', name);
  const branch = `ccwave/${name}`;
  const run = (cwd: string, args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' });
  mkdirSync(repo, { recursive: true });
  run(repo, ['init', '-q', '-b', 'main']);
  run(repo, ['config', 'user.name', 'Test User']);
  run(repo, ['config', 'user.email', 'test@example.invalid']);
  run(repo, ['config', 'commit.gpgsign', 'false']);
  writeFileSync(join(repo, 'README.md'), '# test repo\n');
  run(repo, ['add', '.']);
  run(repo, ['commit', '-q', '-m', 'initial']);
  run(repo, ['worktree', 'add', '-q', '-b', branch, worktree]);
  const taskDir = join(repo, '.git', 'ccwave', 'run-1', name);
  mkdirSync(taskDir, { recursive: true });
  return {
    root,
    repo,
    worktree,
    branch,
    taskDir,
    git: (...args) => run(worktree, args).trim(),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
