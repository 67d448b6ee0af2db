import type { Command } from 'commander';
import type { DiffOptions } from '../actions/diff.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .summary("show a task's changes")
    .description(
      'show what a task changed, with git diff: for a merged task what its merge brought over the integration branch, ' +
        'otherwise what its branch changed since it forked (or since the integration tip it merged to resolve a conflict); read-only',
    )
    .argument('<task>', 'the task id (or a unique prefix)')
    .option('--stat', 'only the changed files and line counts')
    .option('--run <id>', 'which run (default: the latest)')
    .option('-C, --cwd <dir>', 'the repository (default: the current folder)')
    .action(async (task: string, options: Omit<DiffOptions, 'task'>) => {
      const { diffCommand } = await import('../actions/diff.js');
      process.exitCode = await diffCommand({ ...options, task });
    });
}
