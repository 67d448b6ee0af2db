import { describe, expect, it } from 'vitest';
import { assignWaves } from '../../src/plan/assign-waves.js';
import type { PendingFeature } from '../../src/plan/feature-graph.js';
import { MAX_PLAN_BYTES } from '../../src/plan/plan-shape.js';
import { writeWaves } from '../../src/plan/write-waves.js';

function feature(i: number, requires: string[], files: string[] = []): PendingFeature {
  const at = { line: 1, column: 1 };
  return { id: `feature-${String(i).padStart(4, '0')}`, title: `Feature ${i}`, priority: i % 4, files: files.map((path) => ({ path, at })), requires, requiresMerged: [] };
}

describe('writeWaves', () => {
  it('keeps a large plan under the loader limit by leaving the per-feature reasons to --explain', () => {
    // Every third feature requires the one before it: a few long waves, a reason line each.
    const features = Array.from({ length: 4000 }, (_, i) => feature(i, i % 3 === 0 && i > 0 ? [`feature-${String(i - 1).padStart(4, '0')}`] : []));
    const text = writeWaves({ assignment: assignWaves(features), done: [] });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_PLAN_BYTES);
    expect(text).toContain('`ccwave plan --explain` gives the reasons');
    expect(text.match(/^- feature-/gm)).toHaveLength(4000);
  });

  it('writes the reasons for a plan of ordinary size, and a path cannot end its comment early', () => {
    const text = writeWaves({ assignment: assignWaves([feature(1, [], ['a/b/x-->y.md']), feature(2, [], ['a/b/x-->y.md'])]), done: [] });
    expect(text).toContain('feature-0002: needs nothing still to build; not wave 1: shares a/b/x- - >y.md with feature-0001');
    expect(text.match(/-->/g)).toHaveLength(2);
  });

  it('writes a title with escape sequences as one plain line', () => {
    const hostile = { ...feature(1, []), title: 'Red\u001b[31m title\u2028- feature-9999' };
    const text = writeWaves({ assignment: assignWaves([hostile]), done: [] });
    expect(text).toContain('- feature-0001 — Red [31m title - feature-9999\n');
  });
});
