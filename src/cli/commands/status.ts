import type { Command } from 'commander';

export interface StatusOptions {
  json?: boolean;
  run?: string;
  cwd?: string;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .summary("show a run's progress (read-only)")
    .description("show a run's progress from its journal: waves, tasks, attempts, merges and tests (read-only; safe while the run is going)")
    .option('--json', 'print the run as JSON (schemaVersion 1, described in the README)')
    .option('--run <id>', 'which run to show (default: the latest)')
    .option('--cwd <dir>', 'the repository (same as -C; default: the current folder)')
    .action(async (options: StatusOptions) => {
      // Loaded on use, so `--help` and other commands don't pay for the journal and the git layer.
      const { statusCommand } = await import('../actions/status.js');
      process.exitCode = await statusCommand(options);
    });
}
