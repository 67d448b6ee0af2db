import type { Command } from 'commander';
import type { InitOptions } from '../actions/init.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a starter WAVES.md and one feature PROMPT.md (never overwrites)')
    .option('--dir <dir>', 'the folder to write into (same as -C)', '.')
    .action(async (options: InitOptions) => {
      const { initCommand } = await import('../actions/init.js');
      process.exitCode = initCommand(options);
    });
}
