import { lstatSync, type Stats } from 'node:fs';
import path from 'node:path';
import { runIdOfBranch } from './branch-names.js';
import type { BranchFacts, CleanupInput, WorktreeFacts } from './cleanup-plan.js';
import { commitsOnlyIn, listRefs, refsContaining } from './refs.js';
import { dirtyPaths } from './repo-state.js';
import type { Repo } from './repo.js';
import { listWorktrees, sameLocation, samePath, type WorktreeEntry } from './worktrees.js';

const HEADS = 'refs/heads/';

/**
 * Branches named ccwave/<run>/... and worktrees in ccwave's folders, each with whether a run
 * journal recorded creating it (`recorded`): only those are ccwave's.
 */
export interface CcwaveInventory {
  branches: Array<{ branch: string; sha: string; runId: string; recorded: boolean }>;
  worktrees: Array<{ entry: WorktreeEntry; runId: string; recorded: boolean }>;
  all: WorktreeEntry[];
}

/**
 * What the journals know. A name or a folder only says what something looks like: an agent or
 * the user can make a branch called ccwave/<run>/..., or a worktree in `<worktreeRoot>/<run-id>/`.
 */
export interface InventoryHints {
  /** Worktree paths the run journals recorded, with their run ids. */
  knownPaths: ReadonlyMap<string, string>;
  /** Branches (short names) the run journals recorded, with their run ids. */
  knownBranches: ReadonlyMap<string, string>;
  /** Where ccwave puts worktrees: `<root>/<run-id>/<task>`. */
  worktreeRoot: string;
  /** Tells a run-id folder name from anything else in the root. */
  isRunId: (name: string) => boolean;
}

export async function takeInventory(repo: Repo, hints: InventoryHints): Promise<CcwaveInventory> {
  const [refs, all] = await Promise.all([listRefs(repo.git, `${HEADS}ccwave/`), listWorktrees(repo.git)]);
  const branches = refs.flatMap(({ ref, sha }) => {
    const runId = runIdOfBranch(ref);
    const branch = ref.slice(HEADS.length);
    return runId ? [{ branch, sha, runId, recorded: hints.knownBranches.get(branch) === runId }] : [];
  });
  const worktrees = all.flatMap((entry) => {
    if (entry.main || samePath(entry.path, repo.topLevel)) return [];
    const known = runOfPath(entry.path, hints.knownPaths);
    if (known) return [{ entry, runId: known, recorded: true }];
    const runId = runOfFolder(entry.path, hints);
    return runId ? [{ entry, runId, recorded: false }] : [];
  });
  return { branches, worktrees, all };
}

function runOfPath(worktreePath: string, knownPaths: ReadonlyMap<string, string>): string | undefined {
  for (const [known, runId] of knownPaths) if (sameLocation(known, worktreePath)) return runId;
  return undefined;
}

/** `<root>/<run-id>/<task>` gives the run id; anything else is not in ccwave's folder. */
function runOfFolder(worktreePath: string, hints: InventoryHints): string | undefined {
  const runFolder = path.dirname(path.resolve(worktreePath));
  if (!samePath(path.dirname(runFolder), hints.worktreeRoot)) return undefined;
  const runId = path.basename(runFolder);
  return hints.isRunId(runId) ? runId : undefined;
}

/**
 * Gathers what the clean planner needs about the given runs' worktrees and branches. Only recorded
 * branches can go, so only they count as "being cleaned" when looking for commits found elsewhere.
 */
export async function cleanupFacts(repo: Repo, inventory: CcwaveInventory, runIds: ReadonlySet<string>, force: boolean): Promise<CleanupInput> {
  const targetWorktrees = inventory.worktrees.filter((w) => runIds.has(w.runId));
  const targetBranches = inventory.branches.filter((b) => runIds.has(b.runId));

  const worktrees: WorktreeFacts[] = await Promise.all(
    targetWorktrees.map(async ({ entry, runId, recorded }) => {
      const stat = lstat(entry.path);
      const replaced = stat !== undefined && !stat.isDirectory();
      const exists = stat !== undefined && !replaced;
      return {
        path: entry.path,
        branch: entry.branch?.slice(HEADS.length),
        runId,
        exists,
        locked: entry.locked,
        recorded,
        replaced,
        dirty: exists && recorded ? await dirtyPaths(repo.at(entry.path)) : [],
      };
    }),
  );

  const removing = new Set(targetWorktrees.map((w) => path.resolve(w.entry.path)));
  const checkedOutElsewhere = new Map<string, string>();
  for (const entry of inventory.all) {
    if (entry.branch && !removing.has(path.resolve(entry.path))) checkedOutElsewhere.set(entry.branch.slice(HEADS.length), entry.path);
  }

  const ours = targetBranches.filter((b) => b.recorded);
  const names = ours.map((b) => b.branch);
  const shaOf = new Map(ours.map((b) => [b.branch, b.sha]));
  const branches: BranchFacts[] = await Promise.all(
    targetBranches.map(async (b) => {
      if (!b.recorded) return { branch: b.branch, sha: b.sha, runId: b.runId, onlyHere: 0, containedBy: [], recorded: false };
      const onlyHere = await commitsOnlyIn(repo.git, b.sha, names);
      const containedBy =
        onlyHere === 0
          ? []
          : (await refsContaining(repo.git, b.sha))
              .filter((ref) => ref.startsWith(HEADS))
              .map((ref) => ref.slice(HEADS.length))
              .filter((other) => shaOf.has(other) && shaOf.get(other) !== b.sha);
      return { branch: b.branch, sha: b.sha, runId: b.runId, onlyHere, containedBy, recorded: true };
    }),
  );
  return { worktrees, branches, checkedOutElsewhere, force };
}

function lstat(file: string): Stats | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
