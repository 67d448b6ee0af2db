import path from 'node:path';
import { plural } from '../format/plural.js';
import { shellWord } from '../shell-word.js';
import { currentBranch } from '../git/refs.js';
import type { Repo } from '../git/repo.js';
import { uncommittedChanges } from '../git/repo-state.js';
import type { Plan } from '../plan/types.js';

/** How many files the warning names; the rest are counted. */
const FILES_SHOWN = 4;
/** Past this many files, the suggested `git add` names the features folder instead of each file. */
const FILES_ADDED_BY_NAME = 6;

/**
 * WAVES.md and the tasks' PROMPT.md files that the user's checkout has not committed, repository
 * paths with forward slashes. Read-only.
 */
export async function uncommittedPlanFiles(repo: Repo, plan: Plan): Promise<string[]> {
  const files = [plan.file, ...plan.waves.flatMap((wave) => wave.tasks.map((task) => task.promptFile))]
    .map((file) => path.relative(repo.topLevel, file))
    .filter((file) => file && !file.startsWith('..') && !path.isAbsolute(file));
  if (files.length === 0) return [];
  const { tracked, untracked } = await uncommittedChanges(repo.git, files);
  const changed = new Set([...tracked, ...untracked]);
  return [...new Set(files.map((file) => file.split(path.sep).join('/')))].filter((file) => changed.has(file));
}

/**
 * What an uncommitted plan means for the run, before it starts: the agents' worktrees come from
 * the base branch's last commit, and a checkout of the base branch with files git does not track
 * is never touched, so the landing waits.
 */
export async function uncommittedPlanWarning(repo: Repo, plan: Plan, base: string): Promise<string | undefined> {
  const files = await uncommittedPlanFiles(repo, plan);
  if (files.length === 0) return undefined;
  const planPath = path.relative(repo.topLevel, plan.file).split(path.sep).join('/');
  const prompts = files.filter((file) => file !== planPath);
  const named = [files.includes(planPath) ? planPath : '', prompts.length > 0 ? `${plural(prompts.length, 'feature prompt')} (${listed(prompts)})` : ''].filter(Boolean).join(' and ');
  const landing =
    plan.settings.land && (await currentBranch(repo.git)) === base
      ? `\n  ${base} is checked out here, and ccwave never touches a checkout with uncommitted files: the landing on ${base} will be refused while they are there (the run's result and retrospectives stay on its own branch).`
      : '';
  return (
    `warning: ${named} ${files.length === 1 ? 'is' : 'are'} not committed.\n` +
    `  The agents work in worktrees made from ${base}'s last commit, so they will not find ${files.length === 1 ? 'it' : 'them'} there (each still gets its own task's prompt).` +
    landing +
    `\n  To commit ${files.length === 1 ? 'it' : 'them'} first: git add -- ${toAdd(files, planPath, plan.settings.features).map(shellWord).join(' ')} && git commit -m 'Add the plan'\n`
  );
}

function toAdd(files: string[], planPath: string, featuresDir: string): string[] {
  if (files.length <= FILES_ADDED_BY_NAME) return files;
  return [...(files.includes(planPath) ? [planPath] : []), featuresDir];
}

function listed(files: string[]): string {
  return files.slice(0, FILES_SHOWN).join(', ') + (files.length > FILES_SHOWN ? `, and ${files.length - FILES_SHOWN} more` : '');
}
