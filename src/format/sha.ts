/**
 * How many hex digits of a commit every printed text shows: git's own default abbreviation, so
 * what ccwave prints matches `git log --oneline` and can be pasted into any git command.
 */
export const SHORT_SHA_LENGTH = 7;

export function shortSha(sha: string): string {
  return sha.slice(0, SHORT_SHA_LENGTH);
}
