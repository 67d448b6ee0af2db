import type { Repo } from './repo.js';
import { parseMergeTrailers } from './trailers.js';

/** The merge commit ccwave made for a task on base, and the run that made it. */
export interface MergedTask {
  mergeSha: string;
  runId: string;
}

/** Field and record separators in the log format: bytes a commit message cannot hold unnoticed. */
const FIELD = '\x1f';
const RECORD = '\x1e';

/**
 * The tasks whose work is already in `baseSha`: each first-parent merge commit that carries all
 * of ccwave's trailers and whose second parent is the tip those trailers name. Only the first-parent
 * chain counts because an agent's own commits, whatever trailers they forge, always sit on the
 * second-parent side of ccwave's `--no-ff` merges. The newest merge of a task wins.
 */
export async function mergedTasks(repo: Repo, baseSha: string): Promise<Map<string, MergedTask>> {
  const { stdout } = await repo.git.run(['log', '--first-parent', '--merges', `--format=%H${FIELD}%P${FIELD}%(trailers:only,unfold)${RECORD}`, '--end-of-options', baseSha, '--']);
  return parseMergedTasks(stdout);
}

/** Reads `git log` records, newest first, keeping the first (newest) merge seen for each task. */
export function parseMergedTasks(stdout: string): Map<string, MergedTask> {
  const found = new Map<string, MergedTask>();
  for (const record of stdout.split(RECORD)) {
    const [sha, parents, block] = record.replace(/^\n/, '').split(FIELD);
    if (!sha || parents === undefined || block === undefined) continue;
    const trailers = parseMergeTrailers(block);
    if (!trailers || found.has(trailers.task)) continue;
    // A merge whose second parent is not the tip it names was not made by ccwave for that tip.
    const second = parents.split(' ').filter(Boolean)[1];
    if (second === undefined || second.toLowerCase() !== trailers.tip.toLowerCase()) continue;
    found.set(trailers.task, { mergeSha: sha, runId: trailers.run });
  }
  return found;
}
