import { statfs } from 'node:fs/promises';
import { formatBytes } from '../format/bytes.js';
import type { CheckResult } from './check.js';
import { nearestExisting } from './nearest-existing.js';

/**
 * Room for a wave: `concurrency` task worktrees and the integration worktree, each a checkout of
 * the repository (`checkoutBytes`). Ignored files `copy` brings in and build output come on top,
 * so a tight fit is only just enough.
 */
export async function diskSpaceCheck(worktreeRoot: string, concurrency: number, checkoutBytes: number): Promise<CheckResult> {
  const id = 'env.disk-space';
  const worktrees = concurrency + 1;
  const needed = worktrees * checkoutBytes;
  const stats = await statfs(nearestExisting(worktreeRoot));
  const free = stats.bavail * stats.bsize;
  const title = `disk space for ${worktrees} worktrees of ${formatBytes(checkoutBytes)} (concurrency ${concurrency} and the integration worktree)`;
  if (free >= needed) return { id, title, status: 'ok', detail: `${formatBytes(free)} free where the worktrees go` };
  return { id, title, status: 'failed', detail: `${formatBytes(free)} free at ${worktreeRoot}, about ${formatBytes(needed)} needed; free some space or lower \`concurrency\`` };
}
