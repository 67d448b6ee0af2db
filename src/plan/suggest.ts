import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `input`, when it is close enough to be a plausible typo
 * (ignoring case, at most a third of the word wrong).
 */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(needle.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Up to `count` candidates ordered by closeness: for "did you mean one of …" lists. */
export function closestFew(input: string, candidates: readonly string[], count = 3): string[] {
  const needle = input.toLowerCase();
  return [...candidates]
    .map((candidate) => ({ candidate, d: distance(needle, candidate.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.candidate.localeCompare(b.candidate))
    .slice(0, count)
    .map((x) => x.candidate);
}
