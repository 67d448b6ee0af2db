/**
 * The first bad merge of a chain, by binary search. `passes(i)` tests the tip after the first
 * `i` merges; the caller knows `good` passes and `bad` fails (good < bad). Needs about
 * log2(bad - good) test runs and assumes a merge that breaks the tests keeps them broken.
 */
export async function firstBadMerge(good: number, bad: number, passes: (i: number) => Promise<boolean>): Promise<number> {
  let lo = good;
  let hi = bad;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (await passes(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}
