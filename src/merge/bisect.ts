/**
 * The first bad merge of a chain, by binary search. `passes(i)` tests the tip after the first
 * `i` merges; the caller knows `good` passes and `bad` fails (good < bad). Needs about
 * log2(bad - good) test runs.
 *
 * It assumes a merge that breaks the tests keeps them broken, so that the first failing prefix is
 * found. Flaky tests break that assumption (a prefix can fail once and pass on a re-run), but not
 * the soundness of the answer: whatever `passes` says, the search ends on an adjacent pair it saw,
 * prefix `hi - 1` passing (or `good`) and prefix `hi` failing (or `bad`). So the merge it blames was
 * seen to turn a passing tree into a failing one: the same evidence the one-at-a-time gate uses.
 * The merge queue's `passes` only says "fails" after the test's retries all failed, so a flaky
 * failure that passes on a re-run counts as passing, here as everywhere.
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
