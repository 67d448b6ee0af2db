import { describe, expect, it } from 'vitest';
import { assignWaves, type WaveAssignment } from '../../src/plan/assign-waves.js';
import type { PendingFeature } from '../../src/plan/feature-graph.js';
import { placementReason } from '../../src/plan/plan-reasons.js';
import { applyReviewMoves, MAX_REVIEW_MOVES, planRuleBreaks, type ReviewResult } from '../../src/plan/review-moves.js';

function feature(id: string, options: { priority?: number; requires?: string[]; files?: string[] } = {}): PendingFeature {
  return {
    id,
    title: id,
    priority: options.priority ?? 2,
    requires: options.requires ?? [],
    requiresMerged: [],
    files: (options.files ?? []).map((p) => ({ path: p, at: { line: 1, column: 1 } })),
  };
}

/** a → b → c in a chain; d and e free, both declaring src/db/x.ts; f free. */
function draft(maxWaveSize?: number): WaveAssignment {
  return assignWaves(
    [
      feature('a'),
      feature('b', { requires: ['a'] }),
      feature('c', { requires: ['b'] }),
      feature('d', { priority: 0, files: ['src/db/x.ts'] }),
      feature('e', { priority: 1, files: ['src/db/x.ts'] }),
      feature('f', { priority: 3 }),
    ],
    maxWaveSize,
  );
}

function waves(a: WaveAssignment): string[][] {
  return a.waves.map((w) => w.features.map((p) => p.feature.id));
}

function review(answer: unknown, maxWaveSize?: number): ReviewResult {
  const result = applyReviewMoves(draft(maxWaveSize), answer, maxWaveSize);
  if ('error' in result) throw new Error(result.error);
  return result;
}

describe('applying the review of a draft plan', () => {
  it('starts from the draft the tests assume', () => {
    expect(waves(draft())).toEqual([['d', 'a', 'f'], ['e', 'b'], ['c']]);
  });

  it('applies a valid move, keeps priority order in the wave and says why in the reasons', () => {
    const result = review({ moves: [{ feature: 'f', toWave: 3, reason: 'low value, after the chain' }] });
    expect(result.refused).toEqual([]);
    expect(result.applied).toEqual([{ feature: 'f', from: 1, to: 3, reason: 'low value, after the chain' }]);
    expect(waves(result.assignment)).toEqual([
      ['d', 'a'],
      ['e', 'b'],
      ['c', 'f'],
    ]);
    const f = result.assignment.waves[2]!.features[1]!;
    expect(placementReason(f)).toBe('needs nothing still to build; moved from wave 1 by the review: low value, after the chain');
  });

  it('may open one wave after the last', () => {
    const result = review({ moves: [{ feature: 'f', toWave: 4, reason: 'last' }] });
    expect(waves(result.assignment)).toEqual([['d', 'a'], ['e', 'b'], ['c'], ['f']]);
  });

  it.each([
    [{ feature: 'b', toWave: 1, reason: 'sooner' }, 'b requires a, in wave 1'],
    [{ feature: 'a', toWave: 2, reason: 'later' }, 'b requires a and is in wave 2'],
    [{ feature: 'e', toWave: 1, reason: 'sooner' }, 'd in wave 1 also declares src/db/x.ts'],
    [{ feature: 'zz', toWave: 1, reason: 'x' }, 'no feature zz in the draft'],
    [{ feature: 'f', toWave: 9, reason: 'x' }, '`toWave` is not a wave from 1 to 4'],
    [{ feature: 'f', toWave: Number.NaN, reason: 'x' }, '`toWave` is not a wave from 1 to 4'],
    [{ feature: 'f', toWave: -1, reason: 'x' }, '`toWave` is not a wave from 1 to 4'],
    [{ feature: 'f', toWave: 1.5, reason: 'x' }, '`toWave` is not a wave from 1 to 4'],
    [{ feature: 'f', toWave: '2', reason: 'x' }, '`toWave` is not a wave from 1 to 4'],
    [{ feature: 'f', toWave: 2 }, 'the move gives no reason'],
    [{ feature: 'f', toWave: 1, reason: 'x' }, 'f is already in wave 1'],
    [{ feature: 'c', toWave: 4, reason: 'x' }, 'wave 3 would be left empty'],
    [{ feature: 42, toWave: 1, reason: 'x' }, '`feature` is not a feature id'],
    ['f to 2', 'a move is an object `{ "feature", "toWave", "reason" }`'],
  ])('refuses %j: %s', (move, why) => {
    const result = review({ moves: [move] });
    expect(result.applied).toEqual([]);
    expect(result.refused).toEqual([{ index: 1, move: expect.any(String), why }]);
    expect(waves(result.assignment)).toEqual(waves(draft()));
  });

  it('refuses a move into a full wave (maxWaveSize)', () => {
    expect(waves(draft(2))).toEqual([
      ['d', 'a'],
      ['e', 'b'],
      ['c', 'f'],
    ]);
    const result = review({ moves: [{ feature: 'f', toWave: 2, reason: 'x' }] }, 2);
    expect(result.refused[0]!.why).toBe('wave 2 already has 2 features (maxWaveSize 2)');
  });

  it('checks each move against the plan the earlier moves left, and never moves a feature twice', () => {
    const result = review({
      moves: [
        { feature: 'c', toWave: 4, reason: 'x' },
        { feature: 'f', toWave: 3, reason: 'keep wave 3' },
        { feature: 'c', toWave: 4, reason: 'now wave 3 is not left empty' },
        { feature: 'f', toWave: 2, reason: 'again' },
      ],
    });
    expect(result.applied.map((m) => [m.feature, m.to])).toEqual([
      ['f', 3],
      ['c', 4],
    ]);
    expect(result.refused.map((r) => [r.index, r.why])).toEqual([
      [1, 'wave 3 would be left empty'],
      [4, 'f was already moved'],
    ]);
  });

  it('makes a hostile reason one printable line of bounded length', () => {
    const result = review({ moves: [{ feature: 'f', toWave: 2, reason: `a\n\u001b[31mred\u202e ${'x'.repeat(500)}` }] });
    const reason = result.applied[0]!.reason;
    expect(reason).not.toMatch(/[\n\u001b\u202e]/);
    expect(reason.length).toBeLessThanOrEqual(200);
    expect(reason.startsWith('a \\x1b[31mred\\u202e x')).toBe(true);
  });

  it(`reads at most ${MAX_REVIEW_MOVES} moves`, () => {
    const moves = Array.from({ length: MAX_REVIEW_MOVES + 2 }, () => ({ feature: 'zz', toWave: 1, reason: 'x' }));
    const result = review({ moves });
    expect(result.refused.at(-1)).toEqual({ index: MAX_REVIEW_MOVES + 2, move: expect.any(String), why: `more than ${MAX_REVIEW_MOVES} moves` });
  });

  it.each([[null], [[]], ['moves'], [42], [{}], [{ moves: {} }]])('refuses the whole answer %j', (answer) => {
    expect(applyReviewMoves(draft(), answer)).toHaveProperty('error');
  });

  it('drops a delay of the draft that no longer holds', () => {
    // e waited for wave 1 because of d; once d moves to wave 2... e is there, so d cannot. Move d to 3.
    const result = review({ moves: [{ feature: 'd', toWave: 3, reason: 'x' }] });
    const e = result.assignment.waves[1]!.features.find((p) => p.feature.id === 'e')!;
    expect(e.delays).toEqual([]);
  });
});

describe('the last check of a reviewed plan', () => {
  it('finds nothing wrong in a draft or a reviewed plan', () => {
    expect(planRuleBreaks(draft())).toEqual([]);
    expect(planRuleBreaks(review({ moves: [{ feature: 'f', toWave: 4, reason: 'x' }] }).assignment)).toEqual([]);
  });

  it('finds each broken rule', () => {
    const broken = draft();
    const [w1, w2, w3] = broken.waves;
    w1!.features.push(...w2!.features.splice(0), ...w3!.features.splice(0));
    expect(planRuleBreaks(broken, 3)).toEqual([
      'wave 1 has more than 3 features',
      'd and e both declare src/db/x.ts in wave 1',
      'b is not after a',
      'c is not after b',
      'wave 2 is empty',
      'wave 3 is empty',
    ]);
  });
});
