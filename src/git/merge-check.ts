import { splitNul, type GitExec } from './exec.js';
import { isAncestor, revParse, treeOf } from './refs.js';

export interface MergeTreeResult {
  clean: boolean;
  /** The merged tree (with conflict markers in it when not clean). */
  tree: string;
  conflictedPaths: string[];
}

/**
 * Merges two commits in memory (`git merge-tree --write-tree`, git >= 2.38): no worktree, no index,
 * no ref touched. Repo.open has already refused older gits.
 */
export async function mergeTree(exec: GitExec, ours: string, theirs: string): Promise<MergeTreeResult> {
  const { stdout, exitCode } = await exec.run(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', '--end-of-options', ours, theirs], [1]);
  const [tree, ...paths] = splitNul(stdout);
  if (tree === undefined || !/^[0-9a-f]{40,64}$/.test(tree)) {
    throw new Error(`git merge-tree ${ours} ${theirs} failed: ${stdout.trim() || `exit ${exitCode}`}`);
  }
  // A path can be listed once per conflicting stage.
  return { clean: exitCode === 0, tree, conflictedPaths: [...new Set(paths)] };
}

export type MergeCheck =
  /** The tip is already in the target's history: nothing to merge. */
  | { kind: 'ancestor' }
  /** The tip shares no history with the target (an orphan branch): git refuses to merge it. */
  | { kind: 'unrelated' }
  /** Merging would change nothing: the target already has this content (e.g. cherry-picked). */
  | { kind: 'same-content'; tree: string }
  | { kind: 'clean'; tree: string }
  | { kind: 'conflict'; tree: string; conflictedPaths: string[] };

async function hasCommonHistory(exec: GitExec, a: string, b: string): Promise<boolean> {
  return (await exec.run(['merge-base', a, b], [1])).exitCode === 0;
}

/** What merging `tip` into `into` would do, without doing it. */
export async function checkMerge(exec: GitExec, into: string, tip: string): Promise<MergeCheck> {
  const [intoSha, tipSha] = await Promise.all([revParse(exec, into), revParse(exec, tip)]);
  if (!intoSha) throw new Error(`${into} does not name a commit`);
  if (!tipSha) throw new Error(`${tip} does not name a commit`);
  if (await isAncestor(exec, tipSha, intoSha)) return { kind: 'ancestor' };
  // Asked only when the merge fails, so a normal merge costs no extra git process.
  const result = await mergeTree(exec, intoSha, tipSha).catch(async (error: unknown) => {
    if (!(await hasCommonHistory(exec, intoSha, tipSha))) return undefined;
    throw error;
  });
  if (!result) return { kind: 'unrelated' };
  if (!result.clean) return { kind: 'conflict', tree: result.tree, conflictedPaths: result.conflictedPaths };
  if (result.tree === (await treeOf(exec, intoSha))) return { kind: 'same-content', tree: result.tree };
  return { kind: 'clean', tree: result.tree };
}
