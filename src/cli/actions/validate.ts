import path from 'node:path';
import { plural } from '../../format/plural.js';
import { GitExec } from '../../git/exec.js';
import { currentBranch } from '../../git/refs.js';
import { Repo } from '../../git/repo.js';
import { defaultWorktreeRoot } from '../../git/worktrees.js';
import type { Plan } from '../../plan/types.js';
import { loadPlanArgument } from '../plan-argument.js';
import { formatDiagnostic } from '../../plan/diagnostics.js';
import { formatPlan } from '../../plan/format-plan.js';
import { planToJson } from '../../plan/plan-json.js';
import { EXIT } from '../../errors.js';
import { checkAgents } from '../../run/agent-checks.js';
import { processIO, type CommandIO } from '../command-io.js';

export interface ValidateOptions {
  /** The plan file. */
  plan: string;
  json?: boolean;
}

/** Version of the `validate --json` document: a field renamed, removed or given another meaning bumps it. */
export const VALIDATE_JSON_VERSION = 1;

/** `ccwave validate`: prints the resolved plan, or every problem; returns the exit code. */
export async function validateCommand(options: ValidateOptions, io: CommandIO = processIO): Promise<number> {
  const loaded = loadPlanArgument(options.plan);
  // What only this machine can say: the installed Claude's permission modes, its sandbox.
  const agentProblems = loaded.plan ? await checkAgents(loaded.plan) : [];
  const diagnostics = [...loaded.diagnostics, ...agentProblems];
  // Its warnings are the plan's warnings: shown with the plan, counted, and in the JSON.
  const plan = agentProblems.some((d) => d.severity === 'error') || !loaded.plan ? undefined : { ...loaded.plan, warnings: [...loaded.plan.warnings, ...agentProblems] };
  if (options.json) {
    const body = plan ? { schemaVersion: VALIDATE_JSON_VERSION, ok: true, plan: planToJson(plan) } : { schemaVersion: VALIDATE_JSON_VERSION, ok: false, diagnostics };
    io.out(`${JSON.stringify(body, null, 2)}\n`);
    return plan ? EXIT.ok : EXIT.usage;
  }
  if (!plan) {
    for (const diagnostic of diagnostics) io.err(`${formatDiagnostic(diagnostic)}\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    io.err(`\n${plural(errors, 'error')} in the plan\n`);
    return EXIT.usage;
  }
  // Outside a repository there is no branch to show: validate still works there.
  const branch = plan.settings.base === undefined ? await currentBranch(new GitExec(plan.root)).catch(() => undefined) : undefined;
  const worktreeRoot = await resolvedWorktreeRoot(plan);
  io.out(`${formatPlan(plan, { ...(branch ? { currentBranch: branch } : {}), ...(worktreeRoot ? { worktreeRoot } : {}) })}\n`);
  return EXIT.ok;
}

/** Where a run would put its worktrees; unknown outside a repository (validate still works there). */
async function resolvedWorktreeRoot(plan: Plan): Promise<string | undefined> {
  if (plan.settings.worktrees) return path.resolve(plan.root, plan.settings.worktrees);
  try {
    return await defaultWorktreeRoot(await Repo.open(plan.root));
  } catch {
    return undefined;
  }
}
