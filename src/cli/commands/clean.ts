import type { Command } from 'commander';
import type { CleanOptions } from '../actions/clean.js';

export function registerClean(program: Command): void {
  program
    .command('clean')
    .summary("remove finished runs' worktrees and branches (archived first)")
    .description(
      "remove the worktrees and branches that finished runs' journals recorded creating; never a live " +
        'run, a locked worktree, your checkout, or a branch no journal records (a ccwave/... name is not enough); ' +
        'takes the run lock; every deleted branch is archived under refs/ccwave/archive/ first',
    )
    .option('--dry-run', 'print what would be done and change nothing')
    .option('--run <id>', 'clean only this run (it may be unfinished, but not live)')
    .option('--all', 'also clean interrupted or crashed runs (they can no longer be resumed)')
    .option('--force', 'also remove worktrees with uncommitted changes and branches whose commits are on none of your branches')
    .option('--cwd <dir>', 'the repository (same as -C; default: the current folder)')
    .action(async (options: CleanOptions) => {
      const { cleanCommand } = await import('../actions/clean.js');
      process.exitCode = await cleanCommand(options);
    });
}
