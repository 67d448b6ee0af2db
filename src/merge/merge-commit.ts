import type { GitExec } from '../git/exec.js';
import { commitMergeTree } from '../git/history.js';
import { checkMerge, rememberTree } from '../git/merge-check.js';
import { mergeMessage, type MergeTrailers } from '../git/trailers.js';

/**
 * The `--no-ff` merge commit of `tip` onto `onto`, made from git objects alone
 * (`merge-tree --write-tree` + `commit-tree`): no worktree, no index, no branch moves. A crash
 * can therefore never leave a half-done merge behind; the branch moves later, by compare-and-swap.
 */
export async function createMergeCommit(
  exec: GitExec,
  onto: string,
  tip: string,
  subject: string,
  trailers: MergeTrailers,
): Promise<{ sha: string } | { conflict: string[] } | { skip: 'already-merged' | 'empty' }> {
  const check = await checkMerge(exec, onto, tip);
  if (check.kind === 'ancestor') return { skip: 'already-merged' };
  if (check.kind === 'same-content') return { skip: 'empty' };
  if (check.kind === 'conflict') return { conflict: check.conflictedPaths };
  // No common history (an agent that started an orphan branch): it cannot merge by itself, like
  // a conflict; the branch stays where it is for a person (or the agent) to merge by hand.
  if (check.kind === 'unrelated') return { conflict: [] };
  const sha = await commitMergeTree(exec, check.tree, onto, tip, mergeMessage(subject, trailers));
  // The next merge of the queue is made onto this one: its tree is known without asking git.
  rememberTree(sha, check.tree);
  return { sha };
}
