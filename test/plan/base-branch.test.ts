import { describe, expect, it } from 'vitest';
import { baseBranchProblem } from '../../src/plan/base-branch.js';

describe('baseBranchProblem (the base branch a run moves)', () => {
  it.each(['main', 'develop', 'feature/login', 'release-1.2', 'user/a.b', 'ünïcode', 'a@b'])('accepts %s', (name) => {
    expect(baseBranchProblem(name)).toBeUndefined();
  });

  it.each(['-x', '--output=x', 'main~1', 'main^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'a b', 'a\tb', 'a\x7f', 'a..b', 'a@{1}', '@', '/a', 'a/', 'a//b', '.a', 'a/.b', 'a.lock', 'a/b.lock/c', 'a.'])(
    'refuses %j',
    (name) => {
      expect(baseBranchProblem(name)).toMatch(/^must not/);
    },
  );
});
