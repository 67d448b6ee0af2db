import type { Command } from 'commander';
import type { LogsOptions } from '../actions/logs.js';

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .description("print a task's terminal output: as text (what the screen showed), or raw for replay")
    .argument('<task>', 'the task id (or a unique prefix)')
    .option('--raw', 'the bytes the agent printed, escape sequences and all (replay with cat)')
    .option('-f, --follow', 'keep printing new output while the task runs')
    .option('--run <id>', 'which run (default: the latest)')
    .option('--cwd <dir>', 'the repository (same as -C; default: the current folder)')
    .action(async (task: string, options: Omit<LogsOptions, 'task'>) => {
      const { logsCommand } = await import('../actions/logs.js');
      process.exitCode = await logsCommand({ ...options, task });
    });
}
