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
  const [intoSha, tipSha] = await Promise.all([commitOf(exec, into), commitOf(exec, tip)]);
  if (!intoSha) throw new Error(`${into} does not name a commit`);
  if (!tipSha) throw new Error(`${tip} does not name a commit`);
  // Asked only when the merge fails, so a normal merge costs no extra git process.
  const result = await mergeTree(exec, intoSha, tipSha).catch(async (error: unknown) => {
    if (!(await hasCommonHistory(exec, intoSha, tipSha))) return undefined;
    throw error;
  });
  if (!result) return { kind: 'unrelated' };
  if (!result.clean) return { kind: 'conflict', tree: result.tree, conflictedPaths: result.conflictedPaths };
  if (result.tree !== (await commitTree(exec, intoSha))) return { kind: 'clean', tree: result.tree };
  // Nothing would change. A tip already in `into`'s history merges to exactly `into`'s tree, so
  // only here is it worth asking which of the two it is.
  if (await isAncestor(exec, tipSha, intoSha)) return { kind: 'ancestor' };
  return { kind: 'same-content', tree: result.tree };
}

/** A full SHA as it is (merge-tree itself fails on one that is not a commit); anything else resolved. */
function commitOf(exec: GitExec, rev: string): Promise<string | undefined> {
  return FULL_SHA.test(rev) ? Promise.resolve(rev.toLowerCase()) : revParse(exec, rev);
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * The trees of the merge commits made in this process: the next merge of a queue is made onto the
 * last one, and a commit's tree never changes. Bounded, as a long-lived process makes many.
 */
const knownTrees = new Map<string, string>();
const KNOWN_TREES_MAX = 1024;

/** Notes the tree of a commit just made (see `knownTrees`). */
export function rememberTree(commit: string, tree: string): void {
  if (knownTrees.size >= KNOWN_TREES_MAX) knownTrees.clear();
  knownTrees.set(commit, tree);
}

async function commitTree(exec: GitExec, commit: string): Promise<string> {
  return knownTrees.get(commit) ?? treeOf(exec, commit);
}
