import { describe, expect, it } from 'vitest';
import { checkDependencies, type DependencyInput } from '../../src/plan/dependencies.js';
import { Diagnostics } from '../../src/plan/diagnostics.js';

const at = { line: 4, column: 15 };

/** `count` tasks in one wave, each requiring the next; the last requires the first when `closed`. */
function chain(count: number, closed: boolean): DependencyInput[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `f${i}`,
    wave: 1,
    promptFile: `/repo/f${i}/PROMPT.md`,
    requires: i + 1 < count ? [{ id: `f${i + 1}`, at }] : closed ? [{ id: 'f0', at }] : [],
  }));
}

describe('checkDependencies', () => {
  // Depth-first search by recursion overflowed the stack on a long enough chain: an internal error.
  it('reports a cycle through 20,000 tasks once, without overflowing the stack', () => {
    const diagnostics = new Diagnostics();
    const requires = checkDependencies(chain(20_000, true), [], diagnostics);
    const cycles = diagnostics.items.filter((d) => d.message.startsWith('dependency cycle: '));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toMatchObject({ file: '/repo/f0/PROMPT.md', line: 4, column: 15 });
    expect(cycles[0]!.message).toMatch(/^dependency cycle: f0 → f1 → f2 → .* → f19999 → f0$/);
    // Every task is on the cycle, so no "same wave" error is added on top.
    expect(diagnostics.items).toHaveLength(1);
    expect(requires.get('f0')).toEqual(['f1']);
  });

  it('reports each same-wave dependency of a 20,000-task chain that has no cycle', () => {
    const diagnostics = new Diagnostics();
    checkDependencies(chain(20_000, false), [], diagnostics);
    expect(diagnostics.items).toHaveLength(19_999);
    expect(diagnostics.items.every((d) => d.message.includes('which is in the same wave'))).toBe(true);
  });

  it('finds a cycle and keeps the others apart', () => {
    const diagnostics = new Diagnostics();
    const tasks: DependencyInput[] = [
      { id: 'a', wave: 2, promptFile: '/a', requires: [{ id: 'b', at }] },
      { id: 'b', wave: 2, promptFile: '/b', requires: [{ id: 'a', at }] },
      {
        id: 'c',
        wave: 3,
        promptFile: '/c',
        requires: [
          { id: 'a', at },
          { id: 'c', at },
        ],
      },
      { id: 'd', wave: 1, promptFile: '/d', requires: [] },
    ];
    checkDependencies(tasks, [], diagnostics);
    expect(diagnostics.sorted().map((d) => `${d.file} ${d.message}`)).toEqual(['/a dependency cycle: a → b → a', '/c dependency cycle: c → c']);
  });
});
