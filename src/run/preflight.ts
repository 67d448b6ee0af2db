import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { nodePty } from '../agent/node-pty.js';
import { Repo } from '../git/repo.js';
import { assertNoOperationInProgress } from '../git/repo-state.js';
import { currentBranch, resolveCommit, revParse } from '../git/refs.js';
import { baseBranchProblem } from '../plan/base-branch.js';
import type { Plan } from '../plan/types.js';

export interface Preflight {
  repo: Repo;
  base: { branch: string; sha: string };
}

/**
 * Everything that must hold before a run changes anything: a repository with commits, git new
 * enough, no merge or rebase under way, the base branch, and every agent program found.
 */
export async function preflight(plan: Plan, baseFlag?: string): Promise<Preflight> {
  // Every agent runs in a terminal: an unbuilt node-pty is an install problem to name now.
  nodePty();
  const repo = await Repo.open(plan.root);
  await assertNoOperationInProgress(repo.git);
  const branch = baseFlag ?? plan.settings.base ?? (await currentBranch(repo.git));
  if (!branch) {
    throw new UserError('HEAD is detached, so there is no branch to build on', { hint: 'check out a branch, or set `base:` in the plan' });
  }
  // A revision like `main~1` resolves, but the run cannot move it: the same rule as the plan's `base:`.
  const problem = baseBranchProblem(branch);
  if (problem) {
    throw new UserError(`\`${branch}\` is not a branch name: it ${problem}`, { hint: 'name a branch (`git branch --list` shows them) with --base or `base:` in the plan' });
  }
  if (plan.settings.worktrees) assertFolderCanBeMade(path.resolve(plan.root, plan.settings.worktrees));
  // Says "no commits yet" clearly before anything else.
  await resolveCommit(repo.git, 'HEAD', 'HEAD');
  const sha = await revParse(repo.git, `refs/heads/${branch}`);
  if (!sha) {
    throw new UserError(`base branch \`${branch}\` does not exist`, { hint: 'set `base:` in the plan (or --base) to an existing branch; `git branch --list` shows them' });
  }
  for (const task of plan.waves.flatMap((w) => w.tasks)) {
    const agent = task.settings.agent;
    if ('shell' in agent) continue;
    const program = agent.command[0]!;
    if (!findProgram(program, plan.root)) {
      throw new UserError(`the agent program \`${program}\` (task ${task.id}) was not found`, {
        hint: INSTALL_HINTS[agent.kind],
      });
    }
  }
  return { repo, base: { branch, sha } };
}

const INSTALL_HINTS = {
  claude: 'install Claude Code (npm install -g @anthropic-ai/claude-code), or set `agent:` in the plan',
  codex: 'install Codex (npm install -g @openai/codex), or set `agent:` in the plan',
  command: 'check `agent:` in the plan',
} as const;

/** True when `program` is a path to an executable file, or an executable on PATH. */
export function findProgram(program: string, root: string): boolean {
  const candidates = program.includes('/')
    ? [path.resolve(root, program)]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

/** `dir` exists as a folder, or its nearest existing parent is one (git makes the rest). */
function assertFolderCanBeMade(dir: string): void {
  for (let current = dir; ; current = path.dirname(current)) {
    let stat;
    try {
      stat = statSync(current);
    } catch {
      if (path.dirname(current) === current) return;
      continue;
    }
    if (stat.isDirectory()) return;
    throw new UserError(`cannot make the worktrees folder ${dir}: ${current} is not a folder`, { hint: 'set `worktrees:` in the plan to a folder path' });
  }
}
