import path from 'node:path';
import type { Command } from 'commander';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a starter WAVES.md and one feature PROMPT.md (never overwrites)')
    .option('--dir <dir>', 'the folder to write into (same as -C)', '.')
    .action(async (options: { dir: string }) => {
      const { init } = await import('../actions/init.js');
      init(path.resolve(options.dir));
    });
}
