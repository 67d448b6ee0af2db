import { archiveRefName } from './branch-names.js';
import { plural } from '../format/plural.js';

/** One of ccwave's worktrees that belongs to a run being cleaned. */
export interface WorktreeFacts {
  path: string;
  /** Short branch name, if a branch is checked out. */
  branch?: string;
  runId: string;
  exists: boolean;
  /** `git worktree lock`: the user asked git to keep it (often on a drive not mounted now). */
  locked: boolean;
  /** A run journal recorded creating it; anything else is not ccwave's to remove. */
  recorded: boolean;
  /** Its folder is now a symlink or a file: removing "it" would hit whatever that leads to. */
  replaced?: boolean;
  /** Uncommitted and untracked paths (empty when clean or missing). */
  dirty: string[];
}

/** One of ccwave's branches that belongs to a run being cleaned. */
export interface BranchFacts {
  /** Short name, e.g. ccwave/<run>/w1/<task>. */
  branch: string;
  sha: string;
  runId: string;
  /** Commits of this branch on no branch, remote branch or tag outside the ones being cleaned. */
  onlyHere: number;
  /** Other branches being cleaned, at a different commit, whose history contains this tip. */
  containedBy: string[];
  /** A run journal recorded creating it; a branch merely named ccwave/<run>/... is someone else's. */
  recorded: boolean;
}

export interface CleanupInput {
  worktrees: WorktreeFacts[];
  branches: BranchFacts[];
  /** Branches checked out in worktrees that are not being cleaned (the user's checkout included). */
  checkedOutElsewhere: ReadonlyMap<string, string>;
  force: boolean;
}

export interface CleanupPlan {
  removeWorktrees: Array<{ path: string; runId: string; force: boolean; discards: string[] }>;
  pruneWorktrees: Array<{ path: string; runId: string }>;
  deleteBranches: Array<{ branch: string; sha: string; runId: string; archiveRef: string; why: string }>;
  kept: Array<{ kind: 'worktree' | 'branch'; name: string; runId: string; reason: string }>;
}

const NOT_OURS = "not ccwave's (no ccwave journal records it)";
const REPLACED = 'its folder was replaced by a symlink or a file; left alone';
const LOCKED = 'locked (git worktree lock); unlock it with `git worktree unlock` to clean it';

/**
 * Decides what `ccwave clean` removes and what it keeps, and why. Pure.
 * The rules: only what a run journal recorded creating is ccwave's; a locked worktree is the
 * user's word, --force or not; nothing with uncommitted work or with commits found nowhere else
 * goes without --force; every deleted branch is archived first (the archive ref is named here).
 */
export function planCleanup(input: CleanupInput): CleanupPlan {
  const plan: CleanupPlan = { removeWorktrees: [], pruneWorktrees: [], deleteBranches: [], kept: [] };
  const keptBranches = new Map<string, string>();

  for (const worktree of input.worktrees) {
    const keptBecause = !worktree.recorded ? NOT_OURS : worktree.locked ? LOCKED : worktree.replaced ? REPLACED : undefined;
    if (keptBecause) {
      plan.kept.push({ kind: 'worktree', name: worktree.path, runId: worktree.runId, reason: keptBecause });
      if (worktree.branch) keptBranches.set(worktree.branch, `checked out in the kept worktree ${worktree.path}`);
    } else if (!worktree.exists) {
      plan.pruneWorktrees.push({ path: worktree.path, runId: worktree.runId });
    } else if (worktree.dirty.length > 0 && !input.force) {
      const reason = `${plural(worktree.dirty.length, 'uncommitted file')} (${preview(worktree.dirty)}); commit them, or use --force to discard them`;
      plan.kept.push({ kind: 'worktree', name: worktree.path, runId: worktree.runId, reason });
      if (worktree.branch) keptBranches.set(worktree.branch, `checked out in the kept worktree ${worktree.path}`);
    } else {
      const force = worktree.dirty.length > 0;
      plan.removeWorktrees.push({ path: worktree.path, runId: worktree.runId, force, discards: worktree.dirty });
    }
  }
  for (const branch of input.branches) {
    if (!branch.recorded) keptBranches.set(branch.branch, NOT_OURS);
  }
  for (const branch of input.branches) {
    if (keptBranches.has(branch.branch)) continue;
    const elsewhere = input.checkedOutElsewhere.get(branch.branch);
    if (elsewhere) keptBranches.set(branch.branch, `checked out in ${elsewhere}`);
  }
  if (!input.force) {
    for (const branch of input.branches) {
      if (branch.onlyHere > 0 && branch.containedBy.length === 0 && !keptBranches.has(branch.branch)) {
        keptBranches.set(branch.branch, `${plural(branch.onlyHere, 'commit')} not on any of your branches; merge it, or use --force (its tip would be archived)`);
      }
    }
  }

  for (const branch of input.branches) {
    const keptReason = keptBranches.get(branch.branch);
    if (keptReason) {
      plan.kept.push({ kind: 'branch', name: branch.branch, runId: branch.runId, reason: keptReason });
      continue;
    }
    const why = deleteReason(branch, keptBranches, input.force);
    if (why === undefined) {
      // Contained only by branches that are going too: keep it rather than reason in circles.
      const reason = `${plural(branch.onlyHere, 'commit')} not on any of your branches`;
      plan.kept.push({ kind: 'branch', name: branch.branch, runId: branch.runId, reason });
      continue;
    }
    plan.deleteBranches.push({ branch: branch.branch, sha: branch.sha, runId: branch.runId, archiveRef: archiveRefName(branch.branch), why });
  }
  return plan;
}

function deleteReason(branch: BranchFacts, kept: ReadonlyMap<string, string>, force: boolean): string | undefined {
  if (branch.onlyHere === 0) return 'all its commits are on other branches';
  const keeper = branch.containedBy.find((other) => kept.has(other));
  if (keeper) return `all its commits stay on ${keeper}, which is kept`;
  return force ? `--force (${plural(branch.onlyHere, 'commit')} only in the archive now)` : undefined;
}

function preview(paths: string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown}, …` : shown;
}
