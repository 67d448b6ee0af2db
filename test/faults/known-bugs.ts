import type { JournalLine } from './harness.js';

/**
 * Resume bugs found by this suite and not fixed yet. A crash point that hits one is expected to
 * fail with its symptom (like `it.fails`), so the suite stays green and says so; once the bug is
 * fixed, the point passes and the test fails with "seems fixed": remove the entry then.
 * Which point hits a bug depends on the event the runner died after, not on K: event order varies
 * a little from run to run (agents run concurrently).
 */
export interface KnownBug {
  id: string;
  title: string;
  /** True when dying right after this event (the journal's last line) hits the bug. */
  hits: (crashedAfter: JournalLine) => boolean;
  /** A problem reported by the crash point must match this. */
  symptom: RegExp;
}

/*
 * Found by this suite and fixed since (kept as a record; their crash points now pass):
 * - run-started, then death before the integration worktree existed: resume refused with
 *   "integration branch … is gone" (fixed in 38e4771).
 * - agent-starting of a new Claude session, then death before its first message: resume ran
 *   `--resume <id>`, "No conversation found with session ID", and the task failed (fixed in 05ee7d3).
 */
export const KNOWN_BUGS: readonly KnownBug[] = [];

export function knownBugAt(crashedAfter: JournalLine | undefined): KnownBug | undefined {
  return crashedAfter ? KNOWN_BUGS.find((bug) => bug.hits(crashedAfter)) : undefined;
}
