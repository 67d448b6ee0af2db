import type { Command } from 'commander';
import { DEFAULT_PLAN } from '../defaults.js';
import type { ValidateOptions } from '../actions/validate.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a plan and every PROMPT.md it names, and print the resolved plan')
    .argument('[plan]', 'the plan file', DEFAULT_PLAN)
    .option('--json', 'print the resolved plan (or the problems) as JSON, with schemaVersion 1')
    .addHelpText('after', '\nExit status: 0 when the plan is valid, 2 when it has errors (all are listed as file:line:col).')
    .action(async (plan: string, options: Omit<ValidateOptions, 'plan'>) => {
      // Loaded on use, so `--help` and other commands don't pay for the Markdown and YAML parsers.
      const { validateCommand } = await import('../actions/validate.js');
      process.exitCode = await validateCommand({ ...options, plan });
    });
}
