import type { GitExec } from './exec.js';
import { parseMergeTrailers, TRAILER_KEYS, type MergeTrailers } from './trailers.js';

export interface FoundMerge {
  sha: string;
  parents: string[];
  trailers: MergeTrailers;
}

/** Merge commits in `ref`'s history carrying our trailers for `runId` (and `taskId` if given). */
export async function findMergesByTrailer(exec: GitExec, query: { ref: string; runId: string; taskId?: string; since?: string }): Promise<FoundMerge[]> {
  const range = query.since ? `${query.since}..${query.ref}` : query.ref;
  const { stdout } = await exec.run(['log', '--merges', '--fixed-strings', `--grep=${TRAILER_KEYS.run}: ${query.runId}`, '--format=%H%x1f%P%x1f%(trailers:only,unfold)%x1e', range, '--']);
  const found: FoundMerge[] = [];
  for (const record of stdout.split('\x1e')) {
    const [sha, parents, block] = record.replace(/^\n/, '').split('\x1f');
    if (!sha || parents === undefined || block === undefined) continue;
    const trailers = parseMergeTrailers(block);
    if (!trailers || trailers.run !== query.runId) continue;
    if (query.taskId !== undefined && trailers.task !== query.taskId) continue;
    found.push({ sha, parents: parents.split(' ').filter(Boolean), trailers });
  }
  return found;
}
