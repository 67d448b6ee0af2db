import { InvalidArgumentError, type Command } from 'commander';
import type { RetroOptions } from '../actions/retro.js';

export function registerRetro(program: Command): void {
  program
    .command('retro')
    .summary("regenerate a run's wave retrospectives from its journal")
    .description(
      'rebuild the retrospective of each finished wave (or of --wave N) of a run from its journal and git, ' +
        "and write it into the plan's retro folder (where the run committed it; default waves/retros/) or print it with --stdout; " +
        'never overwrites a file with changes git does not have, never writes through a symlink, and commits nothing',
    )
    .option('--wave <n>', 'only this wave (default: every finished wave)', parseWaveNumber)
    .option('--run <id>', 'which run (default: the latest)')
    .option('--stdout', 'print the Markdown instead of writing files')
    .option('--cwd <dir>', 'the repository (same as -C; default: the current folder)')
    .action(async (options: RetroOptions) => {
      const { retroCommand } = await import('../actions/retro.js');
      process.exitCode = await retroCommand(options);
    });
}

function parseWaveNumber(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a wave number: 1, 2, ...');
  return Number(value);
}
