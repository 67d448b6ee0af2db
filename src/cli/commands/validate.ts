import { execFileSync } from 'node:child_process';
import type { Command } from 'commander';
import { loadPlan } from '../../plan/load-plan.js';
import { formatDiagnostic } from '../../plan/diagnostics.js';
import { formatPlan } from '../../plan/format-plan.js';
import { planToJson } from '../../plan/plan-json.js';
import { EXIT } from '../../errors.js';

export const DEFAULT_PLAN = 'WAVES.md';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a plan and every PROMPT.md it names, and print the resolved plan')
    .argument('[plan]', 'the plan file', DEFAULT_PLAN)
    .option('--json', 'print the resolved plan (or the problems) as JSON')
    .addHelpText('after', '\nExit status: 0 when the plan is valid, 2 when it has errors (all are listed as file:line:col).')
    .action((planFile: string, options: { json?: boolean }) => {
      process.exitCode = validate(planFile, options);
    });
}

export function validate(planFile: string, options: { json?: boolean }): number {
  const { plan, diagnostics } = loadPlan(planFile);
  if (options.json) {
    const body = plan ? { ok: true, plan: planToJson(plan) } : { ok: false, diagnostics };
    process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    return plan ? EXIT.ok : EXIT.usage;
  }
  if (!plan) {
    for (const diagnostic of diagnostics) process.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    process.stderr.write(`\n${errors} ${errors === 1 ? 'error' : 'errors'} in the plan\n`);
    return EXIT.usage;
  }
  const branch = plan.settings.base === undefined ? currentBranch(plan.root) : undefined;
  process.stdout.write(`${formatPlan(plan, branch ? { currentBranch: branch } : {})}\n`);
  return EXIT.ok;
}

function currentBranch(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['symbolic-ref', '--short', '-q', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}
