import { existsSync } from 'node:fs';
import path from 'node:path';
import { runIdOfBranch } from './branch-names.js';
import type { BranchFacts, CleanupInput, WorktreeFacts } from './cleanup-plan.js';
import { commitsOnlyIn, listRefs, refsContaining } from './refs.js';
import { dirtyPaths } from './repo-state.js';
import type { Repo } from './repo.js';
import { listWorktrees, samePath, type WorktreeEntry } from './worktrees.js';

const HEADS = 'refs/heads/';

/** Every run id that has ccwave branches or worktrees in this repository. */
export interface CcwaveInventory {
  branches: Array<{ branch: string; sha: string; runId: string }>;
  worktrees: Array<{ entry: WorktreeEntry; runId: string }>;
  all: WorktreeEntry[];
}

/**
 * Finds ccwave's branches (refs/heads/ccwave/<run>/...) and worktrees. A worktree is ccwave's only
 * if a run journal recorded its path, or it sits in `<worktreeRoot>/<run-id>/`: a worktree the
 * user made on a ccwave branch (to review a task, say) is theirs and is left alone.
 */
export interface InventoryHints {
  /** Worktree paths the run journals recorded, with their run ids. */
  knownPaths: ReadonlyMap<string, string>;
  /** Where ccwave puts worktrees: `<root>/<run-id>/<task>`. */
  worktreeRoot: string;
  /** Tells a run-id folder name from anything else in the root. */
  isRunId: (name: string) => boolean;
}

export async function takeInventory(repo: Repo, hints: InventoryHints): Promise<CcwaveInventory> {
  const [refs, all] = await Promise.all([listRefs(repo.git, `${HEADS}ccwave/`), listWorktrees(repo.git)]);
  const branches = refs.flatMap(({ ref, sha }) => {
    const runId = runIdOfBranch(ref);
    return runId ? [{ branch: ref.slice(HEADS.length), sha, runId }] : [];
  });
  const worktrees = all.flatMap((entry) => {
    if (entry.main || samePath(entry.path, repo.topLevel)) return [];
    const runId = runOfPath(entry.path, hints.knownPaths) ?? runOfFolder(entry.path, hints);
    return runId ? [{ entry, runId }] : [];
  });
  return { branches, worktrees, all };
}

function runOfPath(worktreePath: string, knownPaths: ReadonlyMap<string, string>): string | undefined {
  for (const [known, runId] of knownPaths) if (samePath(known, worktreePath)) return runId;
  return undefined;
}

/** `<root>/<run-id>/<task>` gives the run id; anything else is not in ccwave's folder. */
function runOfFolder(worktreePath: string, hints: InventoryHints): string | undefined {
  const runFolder = path.dirname(path.resolve(worktreePath));
  if (!samePath(path.dirname(runFolder), hints.worktreeRoot)) return undefined;
  const runId = path.basename(runFolder);
  return hints.isRunId(runId) ? runId : undefined;
}

/** Gathers what the clean planner needs about the given runs' worktrees and branches. */
export async function cleanupFacts(repo: Repo, inventory: CcwaveInventory, runIds: ReadonlySet<string>, force: boolean): Promise<CleanupInput> {
  const targetWorktrees = inventory.worktrees.filter((w) => runIds.has(w.runId));
  const targetBranches = inventory.branches.filter((b) => runIds.has(b.runId));

  const worktrees: WorktreeFacts[] = await Promise.all(
    targetWorktrees.map(async ({ entry, runId }) => {
      const exists = existsSync(entry.path);
      return {
        path: entry.path,
        branch: entry.branch?.slice(HEADS.length),
        runId,
        exists,
        locked: entry.locked,
        dirty: exists ? await dirtyPaths(repo.at(entry.path)) : [],
      };
    }),
  );

  const removing = new Set(targetWorktrees.map((w) => path.resolve(w.entry.path)));
  const checkedOutElsewhere = new Map<string, string>();
  for (const entry of inventory.all) {
    if (entry.branch && !removing.has(path.resolve(entry.path))) checkedOutElsewhere.set(entry.branch.slice(HEADS.length), entry.path);
  }

  const names = targetBranches.map((b) => b.branch);
  const shaOf = new Map(targetBranches.map((b) => [b.branch, b.sha]));
  const branches: BranchFacts[] = await Promise.all(
    targetBranches.map(async (b) => {
      const onlyHere = await commitsOnlyIn(repo.git, b.sha, names);
      const containedBy =
        onlyHere === 0
          ? []
          : (await refsContaining(repo.git, b.sha))
              .filter((ref) => ref.startsWith(HEADS))
              .map((ref) => ref.slice(HEADS.length))
              .filter((other) => shaOf.has(other) && shaOf.get(other) !== b.sha);
      return { branch: b.branch, sha: b.sha, runId: b.runId, onlyHere, containedBy };
    }),
  );
  return { worktrees, branches, checkedOutElsewhere, force };
}
