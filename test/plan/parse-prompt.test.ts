import { describe, expect, it } from 'vitest';
import { parsePrompt } from '../../src/plan/parse-prompt.js';

const PROMPT = `---
timeout: 20m
---
# Feature: Worktree-aware orchestration

## Overview
Workers run in worktrees.

## Dependencies
- Requires: feature-001-setup, \`feature-002\`
- Blocked by: nothing

## Acceptance Criteria
- [ ] Each worker gets its own worktree
- [x] Already done item
- Plain item without a box

## Notes
- [ ] not a criterion
`;

describe('parsePrompt', () => {
  it('reads the title, criteria, dependencies and body of a featmgmt PROMPT.md', () => {
    const prompt = parsePrompt(PROMPT);
    expect(prompt.title).toBe('Worktree-aware orchestration');
    expect(prompt.criteria).toEqual([
      { text: 'Each worker gets its own worktree', done: false },
      { text: 'Already done item', done: true },
      { text: 'Plain item without a box', done: false },
    ]);
    expect(prompt.requires).toEqual([
      { id: 'feature-001-setup', at: { line: 10, column: 13 } },
      { id: 'feature-002', at: { line: 10, column: 32 } },
    ]);
    expect(prompt.frontMatter).toEqual({ text: 'timeout: 20m', firstLine: 2 });
    expect(prompt.body.startsWith('# Feature: Worktree-aware orchestration')).toBe(true);
  });

  it('treats "none" and friends as no dependency', () => {
    for (const word of ['none', 'None.', 'N/A', '-']) {
      expect(parsePrompt(`# Feature: X\n\n## Dependencies\nRequires: ${word}\n`).requires).toEqual([]);
    }
  });

  it('takes any first-level heading as the title when it lacks the Feature: prefix', () => {
    expect(parsePrompt('# Login page\n').title).toBe('Login page');
    expect(parsePrompt('Just text\n').title).toBeUndefined();
  });

  it('says when there is no acceptance criteria section', () => {
    expect(parsePrompt('# Feature: X\n\n## Overview\nx\n').hasCriteriaSection).toBe(false);
  });
});

describe('parsePrompt on awkward Markdown', () => {
  it('ignores headings and list items inside fenced code blocks', () => {
    const prompt = parsePrompt(
      ['# Feature: Fenced', '', '## Implementation Details', '```md', '## Acceptance Criteria', '- [ ] fake', '```', '', '## Acceptance Criteria', '~~~', '- [ ] also fake', '~~~', '- [ ] real'].join(
        '\n',
      ),
    );
    expect(prompt.criteria).toEqual([{ text: 'real', done: false }]);
  });

  it('takes top-level items of any list style, keeps inline Markdown and skips nested items', () => {
    const prompt = parsePrompt(
      ['# Feature: Lists', '', '## Acceptance Criteria', '1. `npm test` passes', '   - nested detail', '2) **bold** claim', '* [X] star item', '  continuation line', '+ plus item'].join('\n'),
    );
    expect(prompt.criteria).toEqual([
      { text: '`npm test` passes', done: false },
      { text: '**bold** claim', done: false },
      { text: 'star item', done: true },
      { text: 'plus item', done: false },
    ]);
  });

  it('handles CRLF line endings and closing hashes', () => {
    const prompt = parsePrompt('# Feature: Windows ##\r\n\r\n## Acceptance Criteria ##\r\n- [ ] one\r\n');
    expect(prompt.title).toBe('Windows');
    expect(prompt.criteria).toEqual([{ text: 'one', done: false }]);
  });

  it('ends the front matter at its closing line only', () => {
    const prompt = parsePrompt('---\nmodel: opus\n---\n# Feature: FM\n\n---\n\n## Acceptance Criteria\n- a\n');
    expect(prompt.frontMatter).toEqual({ text: 'model: opus', firstLine: 2 });
    expect(prompt.body.startsWith('# Feature: FM')).toBe(true);
    expect(prompt.criteria).toEqual([{ text: 'a', done: false }]);
  });

  // Each position was found by re-scanning the file from its start: a long `Requires:` list in a
  // large PROMPT.md took minutes, and validation looked hung.
  it('locates every entry of a 200,000-item Requires: list in one pass', () => {
    const text = `# Feature: x\n\n## Dependencies\nRequires: ${'a, '.repeat(200_000)}\n${'more text\n'.repeat(50_000)}`;
    const { requires } = parsePrompt(text);
    expect(requires).toHaveLength(200_000);
    expect(requires[0]).toEqual({ id: 'a', at: { line: 4, column: 11 } });
    expect(requires.at(-1)).toEqual({ id: 'a', at: { line: 4, column: 11 + 3 * 199_999 } });
  });

  it('reads 300,000 acceptance criteria', () => {
    const { criteria } = parsePrompt(`# Feature: x\n\n## Acceptance Criteria\n${'- [ ] c\n'.repeat(300_000)}`);
    expect(criteria).toHaveLength(300_000);
  });
});
