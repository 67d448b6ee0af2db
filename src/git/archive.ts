import { archiveRefName, ARCHIVE_REF_PREFIX } from './branch-names.js';
import { GitCommandError } from './exec.js';
import { listRefs, readRef, RefMovedError, type RefEntry } from './refs.js';
import type { Repo } from './repo.js';

/** How many `-2`, `-3`, ... suffixes to try if an archive ref of that name holds another commit. */
const MAX_ARCHIVE_SUFFIX = 100;

/**
 * Keeps a branch's tip under refs/ccwave/archive/... and deletes the branch in one atomic ref
 * transaction: the archive ref is created only if it does not exist yet, and the branch is deleted
 * only if it still points at `sha`. Either both happen or neither does.
 * Returns the archive ref. `git branch <name> <archive-ref>` brings the branch back.
 */
export function archiveAndDeleteBranch(repo: Repo, branch: string, sha: string): Promise<string> {
  return repo.exclusive(async () => {
    const base = archiveRefName(branch);
    const branchRef = `refs/heads/${branch}`;
    for (let n = 1; n <= MAX_ARCHIVE_SUFFIX; n += 1) {
      const archiveRef = n === 1 ? base : `${base}-${n}`;
      const failure = await transaction(repo, archiveRef, `create ${archiveRef} ${sha}\ndelete ${branchRef} ${sha}\n`);
      if (!failure) return archiveRef;
      const current = await readRef(repo.git, branchRef);
      if (current !== sha) throw new RefMovedError(branchRef, sha, current);
      const existing = await readRef(repo.git, archiveRef);
      if (existing === undefined) throw failure; // Not a name clash: something else is wrong.
      // An archive already holding this very commit (from an interrupted clean) is reused.
      if (existing === sha && !(await transaction(repo, archiveRef, `verify ${archiveRef} ${sha}\ndelete ${branchRef} ${sha}\n`))) {
        return archiveRef;
      }
    }
    throw new Error(`no free archive ref like ${base} after ${MAX_ARCHIVE_SUFFIX} tries`);
  });
}

/** One `update-ref --stdin` run: all its updates happen together or not at all. Returns the failure. */
async function transaction(repo: Repo, archiveRef: string, commands: string): Promise<GitCommandError | undefined> {
  try {
    await repo.git.run(['update-ref', '-m', `ccwave: archived as ${archiveRef}`, '--stdin'], [], commands);
    return undefined;
  } catch (error) {
    if (error instanceof GitCommandError) return error;
    throw error;
  }
}

export function listArchivedRefs(repo: Repo): Promise<RefEntry[]> {
  return listRefs(repo.git, ARCHIVE_REF_PREFIX);
}
