import { existsSync } from 'node:fs';
import path from 'node:path';
import { START, type Diagnostic } from '../plan/diagnostics.js';
import type { FlagSettings } from '../plan/effective.js';
import { loadPlan, type LoadPlanResult } from '../plan/load-plan.js';
import { enclosingRepoRoot } from '../plan/repo-root.js';
import { shellWord } from '../shell-word.js';

/**
 * Where the plan named on the command line may be: from the working directory, as given; then,
 * for a relative path, from the repository root, so `ccwave run` works from any subdirectory.
 */
export function planCandidates(arg: string, cwd: string): string[] {
  const here = path.resolve(cwd, arg);
  const top = enclosingRepoRoot(cwd);
  if (path.isAbsolute(arg) || top === undefined) return [here];
  const atTop = path.resolve(top, arg);
  return atTop === here ? [here] : [here, atTop];
}

/**
 * Loads the plan named on the command line. The repository is the one the plan lives in, or, for
 * a plan kept outside any repository, the one ccwave was started in.
 */
export function loadPlanArgument(arg: string, flags: FlagSettings = {}, cwd = process.cwd()): LoadPlanResult {
  const candidates = planCandidates(arg, cwd);
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) return { diagnostics: [notFound(candidates)] };
  const repo = enclosingRepoRoot(cwd);
  return loadPlan(found, flags, repo === undefined ? {} : { repoOutside: repo });
}

function notFound(candidates: string[]): Diagnostic {
  const looked = candidates.length === 1 ? candidates[0]! : `${candidates.slice(0, -1).join(', ')} and ${candidates.at(-1)!}`;
  return {
    severity: 'error',
    file: candidates[0]!,
    ...START,
    message: 'plan not found',
    hint: `looked at ${looked}; give the plan's path (or -C <dir>), or write a starter plan with \`ccwave init\``,
  };
}

/**
 * The plan file as the user would type it in a suggested command: relative to the working folder
 * when that is shorter, and quoted when a shell would split or expand it.
 */
export function planArgument(planFile: string, cwd: string = process.cwd()): string {
  const relative = path.relative(cwd, planFile);
  const shown = relative && !relative.startsWith(`..${path.sep}..`) ? relative : planFile;
  return shellWord(shown);
}
