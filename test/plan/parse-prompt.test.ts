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
