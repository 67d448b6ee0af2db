import { describe, expect, it } from 'vitest';
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
