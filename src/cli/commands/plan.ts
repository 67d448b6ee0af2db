import type { Command } from 'commander';
import { DEFAULT_PLAN } from '../defaults.js';
import type { PlanOptions } from '../actions/plan.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .summary('scan the features and write WAVES.md in dependency order')
    .description(
      "scan every feature folder's PROMPT.md, leave out features already merged into base, and write the waves: each feature in the earliest wave after all it requires, most urgent first, no two features that declare the same file in one wave",
    )
    .option('--features <dir>', "the folder of feature folders (default: the plan's `features` setting, else feature-management/features)")
    .option('--out <file>', 'the plan to write; an existing one keeps its front matter and prose; `-` prints it', DEFAULT_PLAN)
    .option('--explain', 'print why each feature is in its wave')
    .option('--json', 'print the plan as JSON ({ schemaVersion: 1, ok, waves, merged, risks })')
    .option('--agent', "one session of the plan's agent reviews the draft and may move features; each move is checked, and the difference is shown before writing")
    .addHelpText(
      'after',
      '\nExit status: 0 when the plan was written (with --agent also when the review failed: the draft is written and the failure said), 2 when the features have errors (all are listed as file:line:col).',
    )
    .action(async (options: PlanOptions) => {
      const { planCommand } = await import('../actions/plan.js');
      process.exitCode = await planCommand(options);
    });
}
