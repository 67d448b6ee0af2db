import type { Command } from 'commander';
import type { RunsOptions } from '../actions/runs.js';

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .summary('list the runs of this repository (read-only)')
    .description('list the runs of this repository, newest first: id, plan, when it started, and how it ended (read-only)')
    .option('--json', 'print the list as JSON ({ version, runs: [...] })')
    .option('-C, --cwd <dir>', 'the repository (default: the current folder)')
    .addHelpText('after', '\n`ccwave status --run <id>` shows one of them in full.')
    .action(async (options: RunsOptions) => {
      const { runsCommand } = await import('../actions/runs.js');
      process.exitCode = await runsCommand(options);
    });
}
