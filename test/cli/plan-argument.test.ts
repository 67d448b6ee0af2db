import { describe, expect, it } from 'vitest';
import { planArgument } from '../../src/cli/plan-argument.js';
import { shellWord } from '../../src/shell-word.js';

describe('the plan as a suggested command names it', () => {
  it.each([
    ['/repo/WAVES.md', '/repo', 'WAVES.md'],
    ['/repo/plans/night.md', '/repo', 'plans/night.md'],
    ['/repo/WAVES.md', '/repo/src', '../WAVES.md'],
    ['/repo/WAVES.md', '/elsewhere/deep/down', '/repo/WAVES.md'],
    ['/my repo/WAVES.md', '/my repo', 'WAVES.md'],
    ['/my repo/my plan.md', '/', "'my repo/my plan.md'"],
  ])('%s from %s: %s', (file, cwd, expected) => {
    expect(planArgument(file, cwd)).toBe(expected);
  });

  it('quotes what a shell would split or expand, quotes included', () => {
    expect(shellWord('ccwave/r1/integration')).toBe('ccwave/r1/integration');
    expect(shellWord('/tmp/my repo')).toBe("'/tmp/my repo'");
    expect(shellWord("it's $HOME")).toBe(`'it'\\''s $HOME'`);
  });
});
