import { StopRequested } from '../errors.js';
import { firstBadMerge } from './bisect.js';

export interface Candidate {
  taskId: string;
  /** The task branch's tip as recorded when the task finished: never the moving branch name. */
  tip: string;
}

/** The effects a gate needs; the merge queue implements them on git and journals each one. */
export interface GateOps<C extends Candidate> {
  /**
   * Creates the merge commit of `candidate` onto `onto` without moving any branch, or says why
   * there is nothing to merge (its changes are already there) or that it conflicts.
   */
  merge(onto: string, candidate: C): Promise<MergeOutcome>;
  /** Runs the test command on `sha`; undefined when the plan has no test command. */
  test?: (sha: string) => Promise<boolean>;
  /**
   * True once the run is stopping: the gate ends at its next safe point (between candidates, or
   * instead of a test) with the merges it has verified. A test cut short throws StopRequested.
   */
  stopping?: () => boolean;
}

export type SkipKind = 'already-merged' | 'empty';

export type MergeOutcome = { sha: string } | { conflict: string[] } | { skip: SkipKind };

export interface GateResult<C extends Candidate> {
  /** The new integration tip: every merge in `merged` and nothing else. */
  tip: string;
  merged: { candidate: C; sha: string }[];
  testsFailed: C[];
  conflicted: { candidate: C; paths: string[] }[];
  /** Nothing to merge: found while merging, as earlier merges can bring the same changes. */
  skipped: { candidate: C; kind: SkipKind }[];
  testRuns: number;
  /** The run's stop ended the gate early: candidates not in any list above have no verdict yet. */
  stopped?: boolean;
}

export type GateKind = 'each' | 'batch';

/** `auto` batches from this many candidates: below it, testing each costs about as much. */
export const BATCH_FROM = 4;

export function chooseGate(setting: 'each' | 'batch' | 'auto', candidates: number): GateKind {
  return setting === 'auto' ? (candidates >= BATCH_FROM ? 'batch' : 'each') : setting;
}

export function runGate<C extends Candidate>(kind: GateKind, start: string, candidates: C[], ops: GateOps<C>): Promise<GateResult<C>> {
  return kind === 'each' ? gateEach(start, candidates, ops) : gateBatch(start, candidates, ops);
}

/** Merge one, test, keep it or drop it; then the next. N test runs for N candidates. */
export async function gateEach<C extends Candidate>(start: string, candidates: C[], ops: GateOps<C>): Promise<GateResult<C>> {
  const result = emptyResult<C>(start);
  for (const candidate of candidates) {
    if (ops.stopping?.()) return { ...result, stopped: true };
    const merge = await ops.merge(result.tip, candidate);
    if (!('sha' in merge)) {
      noteUnmerged(result, candidate, merge);
      continue;
    }
    if (ops.test) {
      // An untested merge is not kept: it is merged and tested again on resume.
      if (ops.stopping?.()) return { ...result, stopped: true };
      result.testRuns++;
      let passed: boolean;
      try {
        passed = await ops.test(merge.sha);
      } catch (error) {
        if (error instanceof StopRequested) return { ...result, stopped: true };
        throw error;
      }
      if (!passed) {
        result.testsFailed.push(candidate);
        continue;
      }
    }
    result.merged.push({ candidate, sha: merge.sha });
    result.tip = merge.sha;
  }
  return result;
}

/**
 * Merge all, test the tip once; on failure bisect along the merge chain for the first bad
 * merge, drop it, and try again everything that was tried after it, on the kept prefix and in
 * plan order: a verdict reached against a chain that held the dropped merge ("nothing to merge",
 * a conflict) may not hold without it. About 1 + k·(log2 N + 1) test runs for k bad candidates
 * among N. Ends exactly where `gateEach` ends as long as a merge that breaks the tests keeps them
 * broken; when a later branch repairs an earlier one, the batch keeps both (their tip passed),
 * where `gateEach` would have dropped the first.
 */
export async function gateBatch<C extends Candidate>(start: string, candidates: C[], ops: GateOps<C>): Promise<GateResult<C>> {
  const result = emptyResult<C>(start);
  // Every candidate tried, in plan order, with what merging it onto the chain before it gave.
  let steps: { candidate: C; outcome: MergeOutcome }[] = [];
  let chain: { candidate: C; sha: string }[] = [];
  let good = 0;
  let pending = candidates;
  const tipAt = (i: number): string => (i === 0 ? start : chain[i - 1]!.sha);
  const test = async (i: number): Promise<boolean> => {
    if (!ops.test) return true;
    if (ops.stopping?.()) throw new StopRequested('the merge gate');
    result.testRuns++;
    return ops.test(tipAt(i));
  };
  for (;;) {
    for (const candidate of pending) {
      // Between merges, the prefix that passed its tests is kept; a stop in a bisection throws.
      // The verdicts of the others are left for the resumed queue to find again.
      if (ops.stopping?.()) return { ...result, merged: chain.slice(0, good), tip: tipAt(good), stopped: true };
      const outcome = await ops.merge(tipAt(chain.length), candidate);
      steps.push({ candidate, outcome });
      if ('sha' in outcome) chain.push({ candidate, sha: outcome.sha });
    }
    if (chain.length === good || (await test(chain.length))) break;
    const bad = await firstBadMerge(good, chain.length, test);
    const dropped = chain[bad - 1]!;
    result.testsFailed.push(dropped.candidate);
    const at = steps.findIndex((step) => step.candidate === dropped.candidate);
    pending = steps.slice(at + 1).map((step) => step.candidate);
    steps = steps.slice(0, at);
    chain = chain.slice(0, bad - 1);
    good = bad - 1;
  }
  for (const { candidate, outcome } of steps) if (!('sha' in outcome)) noteUnmerged(result, candidate, outcome);
  result.merged = chain;
  result.tip = tipAt(chain.length);
  return result;
}

function emptyResult<C extends Candidate>(start: string): GateResult<C> {
  return { tip: start, merged: [], testsFailed: [], conflicted: [], skipped: [], testRuns: 0 };
}

function noteUnmerged<C extends Candidate>(result: GateResult<C>, candidate: C, outcome: { conflict: string[] } | { skip: SkipKind }): void {
  if ('conflict' in outcome) result.conflicted.push({ candidate, paths: outcome.conflict });
  else result.skipped.push({ candidate, kind: outcome.skip });
}
