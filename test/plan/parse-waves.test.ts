import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePlainWaves, parseWaves, parseWavesMarkdown } from '../../src/plan/parse-waves.js';
import { Diagnostics } from '../../src/plan/diagnostics.js';

function parse(text: string) {
  const diagnostics = new Diagnostics();
  return { plan: parseWaves(text, '/repo/WAVES.md', diagnostics), diagnostics: diagnostics.items };
}

describe('parseWaves', () => {
  it('reads waves in file order with ids, titles and positions', () => {
    const { plan, diagnostics } = parse(
      ['# The plan', '', '## Wave 1: base', '', '- feature-001-a', '- feature-002 — Second thing', '- feature-003: Third', '', '## Wave two', '', '* feature-004 - Fourth'].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    expect(plan.name).toBe('The plan');
    expect(plan.waves.map((w) => w.name)).toEqual(['Wave 1: base', 'Wave two']);
    expect(plan.waves[0]!.tasks).toEqual([
      { kind: 'id', id: 'feature-001-a', at: { line: 5, column: 3 } },
      { kind: 'id', id: 'feature-002', title: 'Second thing', at: { line: 6, column: 3 } },
      { kind: 'id', id: 'feature-003', title: 'Third', at: { line: 7, column: 3 } },
    ]);
    expect(plan.waves[1]!.tasks).toEqual([{ kind: 'id', id: 'feature-004', title: 'Fourth', at: { line: 11, column: 3 } }]);
  });

  it('reads links with their text as the title', () => {
    const { plan } = parse('## Wave 1\n\n- [Worktree-aware](features/f-004/PROMPT.md)\n- [](features/f-005/)\n');
    expect(plan.waves[0]!.tasks).toEqual([
      { kind: 'link', href: 'features/f-004/PROMPT.md', title: 'Worktree-aware', at: { line: 3, column: 3 } },
      { kind: 'link', href: 'features/f-005/', at: { line: 4, column: 3 } },
    ]);
  });

  it('ignores prose, lists outside waves, other sections and nested lists', () => {
    const { plan } = parse(['- not-a-task', '', '## Wave 1', '', 'Some words.', '', '- feature-001', '  - a note under it', '', '## Notes', '', '- also-not-a-task'].join('\n'));
    expect(plan.waves).toHaveLength(1);
    expect(plan.waves[0]!.tasks.map((t) => (t.kind === 'id' ? t.id : t.href))).toEqual(['feature-001']);
  });

  it('keeps collecting tasks under deeper headings inside a wave', () => {
    const { plan } = parse('## Wave 1\n\n### Backend\n\n- feature-001\n\n### Frontend\n\n- feature-002\n');
    expect(plan.waves[0]!.tasks.map((t) => (t.kind === 'id' ? t.id : ''))).toEqual(['feature-001', 'feature-002']);
  });

  it('drops a to-do checkbox and code backticks around the id', () => {
    const { plan } = parse('## Wave 1\n\n- [ ] feature-001 — One\n- [x] `feature-002`\n');
    expect(plan.waves[0]!.tasks).toEqual([
      { kind: 'id', id: 'feature-001', title: 'One', at: { line: 3, column: 7 } },
      { kind: 'id', id: 'feature-002', at: { line: 4, column: 7 } },
    ]);
  });

  it('returns the front matter with the file line it starts on', () => {
    const { plan } = parse('---\nconcurrency: 2\n---\n## Wave 1\n\n- a\n');
    expect(plan.frontMatter).toEqual({ text: 'concurrency: 2', firstLine: 2 });
  });

  it('reports an empty list item', () => {
    const { diagnostics } = parse('## Wave 1\n\n- a\n-\n');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 4, column: 1, message: 'empty list item in a wave' });
  });
});

/** Both readers of WAVES.md on one text: what each returns and reports. */
function bothReaders(text: string) {
  const markdown = new Diagnostics();
  return { plain: parsePlainWaves(text), markdown: parseWavesMarkdown(text, '/repo/WAVES.md', markdown), reported: markdown.items };
}

/** Lines of the kinds a WAVES.md holds, mostly plain, some not, so generated texts fall on both sides of the line-by-line reader. */
const planLine = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('', '# The plan', '## Wave 1', '## Wave 2: more', '### Notes', '## Notes', '#### Wave 9', '# Wave 4', 'Some prose.', 'Wave 3 is next') },
  {
    weight: 12,
    arbitrary: fc
      .tuple(fc.constantFrom('- ', '* ', '+ '), fc.constantFrom('feature-001', 'f-2', 'x', 'ünï-4', '1. x', '2) y'), fc.constantFrom('', ' — Title', ': Title', ' - Title', ' – a, b. c', ' title'))
      .map((parts) => parts.join('')),
  },
  { weight: 2, arbitrary: fc.constantFrom('  ', '---', '===', '-  x', ' - x', '    - x', '- [ ] x', '- `x`', '- x *bold*', '- x &amp; y', '- x #', '- x  ', '1. x', '> x', '```') },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

describe('the line-by-line reader of plain plans', () => {
  it('reads a plain plan without the Markdown parser', () => {
    const text = ['---', 'concurrency: 2', '---', '# Plan', '', '## Wave 1', '', '- feature-001 — One', '- feature-002: Two', '', '## Wave 2', '- feature-003'].join('\n');
    expect(parsePlainWaves(text)).toEqual(bothReaders(text).markdown);
  });

  it.each([
    ['a checkbox', '## Wave 1\n- [ ] feature-001'],
    ['a link', '## Wave 1\n- [One](features/one/PROMPT.md)'],
    ['an id in backticks', '## Wave 1\n- `feature-001`'],
    ['a nested list', '## Wave 1\n- feature-001\n  - a note'],
    ['an ordered list inside an item', '## Wave 1\n- 1. feature-001'],
    ['a setext heading', 'Wave 1\n---\n- feature-001'],
    ['an entity', '## Wave 1\n- feature-001 &amp; more'],
    ['Windows line ends', '## Wave 1\r\n- feature-001\r\n'],
    ['unclosed front matter', '---\nconcurrency: 2\n## Wave 1\n- feature-001'],
  ])('leaves %s to the Markdown parser', (_, text) => {
    expect(parsePlainWaves(text)).toBeUndefined();
  });

  it('reads every text it accepts exactly as the Markdown parser does', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.boolean(), fc.array(planLine, { maxLength: 25 }), (withFrontMatter, lines) => {
        const text = [...(withFrontMatter ? ['---', 'concurrency: 2', '---'] : []), ...lines].join('\n');
        const { plain, markdown, reported } = bothReaders(text);
        if (plain === undefined) return;
        accepted++;
        expect(plain).toEqual(markdown);
        expect(reported).toEqual([]);
      }),
      { numRuns: 1_000 },
    );
    // The property says something only if many texts are read line by line.
    expect(accepted).toBeGreaterThan(200);
  });
});
