import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chooseGate, gateBatch, gateEach, type Candidate, type GateOps } from '../../src/merge/gate.js';
import { firstBadMerge } from '../../src/merge/bisect.js';

/**
 * A model of merging where a commit is the list of tasks merged so far, so the gate's
 * decisions can be checked exactly: tests fail while any bad task is in the tree.
 */
function model(options: { bad?: string[]; conflicting?: string[]; noTest?: boolean }) {
  const tested: string[] = [];
  const ops: GateOps<Candidate> = {
    merge: async (onto, c) => (options.conflicting?.includes(c.taskId) ? { conflict: [`${c.taskId}.txt`] } : { sha: `${onto}+${c.taskId}` }),
    ...(options.noTest
      ? {}
      : {
          test: async (sha: string) => {
            tested.push(sha);
            return !sha.split('+').some((id) => options.bad?.includes(id));
          },
        }),
  };
  return { ops, tested };
}

const candidates = (n: number): Candidate[] => Array.from({ length: n }, (_, i) => ({ taskId: `t${i + 1}`, tip: `tip${i + 1}` }));

describe('firstBadMerge', () => {
  it('finds the first failing prefix with log2 tests', async () => {
    const calls: number[] = [];
    const found = await firstBadMerge(0, 16, async (i) => {
      calls.push(i);
      return i < 11;
    });
    expect(found).toBe(11);
    expect(calls).toHaveLength(4);
  });
});

describe('firstBadMerge with flaky tests', () => {
  // Any verdicts at all, as a flaky test could give: the answer is still a pair it saw.
  it('blames only a merge seen to turn a passing prefix into a failing one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 40 }), fc.infiniteStream(fc.boolean()), async (good, span, verdicts) => {
        const bad = good + span;
        const seen = new Map<number, boolean>([
          [good, true],
          [bad, false],
        ]);
        const it = verdicts[Symbol.iterator]();
        const found = await firstBadMerge(good, bad, async (i) => {
          expect(i).toBeGreaterThan(good);
          expect(i).toBeLessThan(bad);
          const verdict = it.next().value as boolean;
          seen.set(i, verdict);
          return verdict;
        });
        expect(found).toBeGreaterThan(good);
        expect(found).toBeLessThanOrEqual(bad);
        expect(seen.get(found - 1)).toBe(true);
        expect(seen.get(found)).toBe(false);
        expect(seen.size - 2).toBeLessThanOrEqual(Math.ceil(Math.log2(span)));
      }),
      { numRuns: 500, seed: 20261202 },
    );
  });
});

describe('gateBatch with flaky tests', () => {
  it('drops a candidate only on a failure seen right after a pass, and keeps a tip seen passing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.infiniteStream(fc.boolean()), async (n, verdicts) => {
        const it = verdicts[Symbol.iterator]();
        const seen = new Map<string, boolean[]>([['base', [true]]]);
        const ops: GateOps<Candidate> = {
          merge: async (onto, c) => ({ sha: `${onto}+${c.taskId}` }),
          test: async (sha) => {
            const verdict = it.next().value as boolean;
            seen.set(sha, [...(seen.get(sha) ?? []), verdict]);
            return verdict;
          },
        };
        const result = await gateBatch('base', candidates(n), ops);
        for (const dropped of result.testsFailed) {
          const evidence = [...seen].some(([sha, runs]) => {
            if (!sha.endsWith(`+${dropped.taskId}`) || !runs.includes(false)) return false;
            return seen.get(sha.slice(0, -`+${dropped.taskId}`.length))?.includes(true) === true;
          });
          expect(evidence).toBe(true);
        }
        expect(seen.get(result.tip)).toContain(true);
        expect(result.merged.length + result.testsFailed.length).toBe(n);
      }),
      { numRuns: 500, seed: 20261202 },
    );
  });
});

describe('gateEach', () => {
  it('merges passing candidates, drops failing and conflicting ones, one test each', async () => {
    const { ops } = model({ bad: ['t2'], conflicting: ['t3'] });
    const result = await gateEach('base', candidates(4), ops);
    expect(result.merged.map((m) => m.candidate.taskId)).toEqual(['t1', 't4']);
    expect(result.tip).toBe('base+t1+t4');
    expect(result.testsFailed.map((c) => c.taskId)).toEqual(['t2']);
    expect(result.conflicted).toEqual([{ candidate: candidates(4)[2], paths: ['t3.txt'] }]);
    expect(result.testRuns).toBe(3);
  });

  it('merges everything untested when there is no test command', async () => {
    const { ops } = model({ noTest: true });
    const result = await gateEach('base', candidates(3), ops);
    expect(result.tip).toBe('base+t1+t2+t3');
    expect(result.testRuns).toBe(0);
  });
});

describe('gateBatch', () => {
  it.each([
    [16, []],
    [16, ['t5']],
    [16, ['t3', 't11']],
    [16, ['t1', 't8', 't16']],
    [32, []],
    [32, ['t17']],
    [32, ['t2', 't20', 't31']],
  ])('with N=%i and bad %j keeps exactly the good ones within 1 + k(log2 N + 1) test runs', async (n, bad) => {
    const { ops, tested } = model({ bad });
    const all = candidates(n);
    const result = await gateBatch('base', all, ops);
    const good = all.filter((c) => !bad.includes(c.taskId));
    expect(result.merged.map((m) => m.candidate.taskId)).toEqual(good.map((c) => c.taskId));
    expect(result.tip).toBe(['base', ...good.map((c) => c.taskId)].join('+'));
    expect(result.testsFailed.map((c) => c.taskId)).toEqual(bad);
    expect(result.testRuns).toBe(tested.length);
    expect(result.testRuns).toBeLessThanOrEqual(1 + bad.length * (Math.log2(n) + 1));
    // The tip it keeps was itself tested and passed.
    expect(tested.at(-1)).toBe(result.tip);
  });

  it('tests once when everything passes', async () => {
    const { ops } = model({});
    expect((await gateBatch('base', candidates(8), ops)).testRuns).toBe(1);
  });

  it('sets conflicting candidates aside without blocking the rest', async () => {
    const { ops } = model({ conflicting: ['t2'], bad: ['t4'] });
    const result = await gateBatch('base', candidates(5), ops);
    expect(result.merged.map((m) => m.candidate.taskId)).toEqual(['t1', 't3', 't5']);
    expect(result.conflicted.map((c) => c.candidate.taskId)).toEqual(['t2']);
    expect(result.testsFailed.map((c) => c.taskId)).toEqual(['t4']);
  });

  it('drops every candidate when all break the tests', async () => {
    const { ops } = model({ bad: ['t1', 't2', 't3'] });
    const result = await gateBatch('base', candidates(3), ops);
    expect(result.merged).toEqual([]);
    expect(result.tip).toBe('base');
  });
});

describe('chooseGate', () => {
  it('batches automatically from four candidates', () => {
    expect(chooseGate('auto', 3)).toBe('each');
    expect(chooseGate('auto', 4)).toBe('batch');
    expect(chooseGate('each', 10)).toBe('each');
    expect(chooseGate('batch', 1)).toBe('batch');
  });
});

describe('candidates with nothing to merge', () => {
  it('are reported as skipped by both gates, without a test run of their own', async () => {
    const ops: GateOps<Candidate> = {
      merge: async (onto, c) => (c.taskId === 't2' ? { skip: 'empty' } : { sha: `${onto}+${c.taskId}` }),
      test: async () => true,
    };
    for (const gate of [gateEach, gateBatch]) {
      const result = await gate('base', candidates(3), ops);
      expect(result.skipped).toEqual([{ candidate: candidates(3)[1], kind: 'empty' }]);
      expect(result.tip).toBe('base+t1+t3');
    }
  });
});

/**
 * Merging modelled on plain data, close enough to git's three-way merge for single-file changes
 * from one base: a candidate sets files; one the chain changed differently conflicts; one whose
 * changes are all there already is empty; a tip already in the chain's history is already merged.
 */
function mergeModel(base: Record<string, string>) {
  const commits = new Map<string, { tree: Record<string, string>; history: Set<string> }>([['base', { tree: base, history: new Set(['base']) }]]);
  const changes = new Map<string, Record<string, string>>([['base', {}]]);
  const ops: GateOps<Candidate> = {
    merge: async (onto, candidate) => {
      const { tree, history } = commits.get(onto)!;
      if (history.has(candidate.tip)) return { skip: 'already-merged' };
      const next = { ...tree };
      const conflicts: string[] = [];
      for (const [file, content] of Object.entries(changes.get(candidate.tip)!)) {
        if (content === base[file] || tree[file] === content) continue;
        if (tree[file] === base[file]) next[file] = content;
        else conflicts.push(file);
      }
      if (conflicts.length) return { conflict: conflicts };
      if (JSON.stringify(next) === JSON.stringify(tree)) return { skip: 'empty' };
      const sha = `${onto}+${candidate.taskId}`;
      commits.set(sha, { tree: next, history: new Set([...history, candidate.tip]) });
      return { sha };
    },
    test: async (sha) => commits.get(sha)!.tree.BREAK === undefined,
  };
  return { ops, commit: (tip: string, change: Record<string, string>) => changes.set(tip, change), treeOf: (sha: string) => commits.get(sha)!.tree };
}

describe('gateBatch against gateEach, on the model', () => {
  const change = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'BREAK'), fc.constantFrom('0', '1', '2'), { maxKeys: 3 });
  const specs = fc.array(fc.oneof({ weight: 5, arbitrary: change }, { weight: 1, arbitrary: fc.nat() }), { minLength: 1, maxLength: 9 });

  it('ends with the same merges, conflicts, skips, failures and tree, for any candidates', async () => {
    await fc.assert(
      fc.asyncProperty(specs, async (list) => {
        const outcomes = [];
        for (const gate of [gateEach, gateBatch]) {
          const m = mergeModel({ a: '0' });
          const all: Candidate[] = [];
          list.forEach((spec, i) => {
            // A number: the tip of an earlier candidate (or the base), as an agent that reset its branch.
            const tip = typeof spec === 'number' ? (i === 0 ? 'base' : all[spec % i]!.tip) : `tip${i + 1}`;
            if (typeof spec !== 'number') m.commit(tip, spec);
            all.push({ taskId: `t${i + 1}`, tip });
          });
          const result = await gate('base', all, m.ops);
          outcomes.push({
            merged: result.merged.map((s) => s.candidate.taskId),
            failed: result.testsFailed.map((c) => c.taskId),
            conflicted: result.conflicted.map((c) => [c.candidate.taskId, c.paths]),
            skipped: result.skipped.map((s) => [s.candidate.taskId, s.kind]),
            tree: m.treeOf(result.tip),
          });
        }
        expect(outcomes[1]).toEqual(outcomes[0]);
      }),
      { numRuns: 2000, seed: 20261202 },
    );
  });

  it('merges a candidate whose change equals part of a dropped breaker', async () => {
    const m = mergeModel({ a: '0' });
    m.commit('tip1', { a: '1', BREAK: 'x' });
    m.commit('tip2', { a: '1' });
    m.commit('tip3', { b: '1' });
    const result = await gateBatch('base', candidates(3), m.ops);
    expect(result.testsFailed.map((c) => c.taskId)).toEqual(['t1']);
    expect(result.merged.map((s) => s.candidate.taskId)).toEqual(['t2', 't3']);
    expect(result.skipped).toEqual([]);
  });

  it('merges a candidate that only conflicted with a dropped breaker', async () => {
    const m = mergeModel({ a: '0' });
    m.commit('tip1', { b: '1' });
    m.commit('tip2', { a: '1', BREAK: 'x' });
    m.commit('tip3', { a: '2' });
    const result = await gateBatch('base', candidates(3), m.ops);
    expect(result.testsFailed.map((c) => c.taskId)).toEqual(['t2']);
    expect(result.merged.map((s) => s.candidate.taskId)).toEqual(['t1', 't3']);
    expect(result.conflicted).toEqual([]);
  });
});
