import { splitNul } from './exec.js';

export interface WorktreeEntry {
  path: string;
  /** Undefined for a bare entry or an unborn HEAD. */
  head: string | undefined;
  /** Full ref name (refs/heads/...), undefined when detached. */
  branch: string | undefined;
  detached: boolean;
  bare: boolean;
  locked: boolean;
  /** Its folder is gone; `git worktree prune` would drop its metadata. */
  prunable: boolean;
  /** The first entry is the main worktree: the user's own checkout. */
  main: boolean;
}

/** Parses `git worktree list --porcelain -z`: attribute fields, each record ended by an empty field. */
export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | undefined;
  // splitNul drops only the final empty field; empty fields in between end records.
  for (const field of splitNul(output)) {
    if (field === '') {
      if (current) entries.push(current);
      current = undefined;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? '' : field.slice(space + 1);
    if (key === 'worktree') {
      if (current) entries.push(current);
      current = {
        path: value,
        head: undefined,
        branch: undefined,
        detached: false,
        bare: false,
        locked: false,
        prunable: false,
        main: entries.length === 0,
      };
      continue;
    }
    if (!current) continue;
    if (key === 'HEAD') current.head = value;
    else if (key === 'branch') current.branch = value;
    else if (key === 'detached') current.detached = true;
    else if (key === 'bare') current.bare = true;
    else if (key === 'locked') current.locked = true;
    else if (key === 'prunable') current.prunable = true;
  }
  if (current) entries.push(current);
  return entries;
}
