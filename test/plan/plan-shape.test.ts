import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { MAX_INDENT_COLUMNS, MAX_MARKUP_MARKS, MAX_PLAN_BYTES } from '../../src/plan/plan-shape.js';
import { tempDir } from '../helpers/temp.js';

/** A plan whose one feature exists, with `body` after its wave: only the body can be wrong. */
function planWith(body: string): { root: string; messages: string[] } {
  const root = tempDir();
  mkdirSync(path.join(root, '.git'));
  mkdirSync(path.join(root, 'feature-management/features/feature-001-a'), { recursive: true });
  writeFileSync(path.join(root, 'feature-management/features/feature-001-a/PROMPT.md'), '# Feature: A\n\n## Acceptance Criteria\n- [ ] works\n');
  writeFileSync(path.join(root, 'WAVES.md'), `## Wave 1\n\n- feature-001-a\n\n${body}`);
  const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
  expect(plan).toBeUndefined();
  return { root, messages: diagnostics.map((d) => formatDiagnostic(d, root)) };
}

// Shapes the Markdown parser takes minutes on; each is refused before it is parsed.
describe('plans the Markdown parser would choke on', () => {
  it('refuses a plan over the size limit', () => {
    const { messages } = planWith(`${'Some prose about the plan.\n'.repeat(Math.ceil(MAX_PLAN_BYTES / 27))}`);
    expect(messages).toEqual([`WAVES.md:1:1: error: the plan is 257 KB; the limit is 256 KB\n  hint: is this the right file? a plan lists tasks; their specs go in PROMPT.md files`]);
  });

  it('refuses a flood of unclosed links, at the first mark past the limit', () => {
    const { messages } = planWith(`${'[a]('.repeat(250)}\n`.repeat(MAX_MARKUP_MARKS / 500 + 1));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`^WAVES\\.md:45:1: error: the plan has more than ${MAX_MARKUP_MARKS} Markdown marks`));
  });

  it('refuses a list nested hundreds deep, at the first line past the limit', () => {
    const { messages } = planWith(Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- n${i}`).join('\n'));
    expect(messages).toEqual([`WAVES.md:70:1: error: line is nested or indented more than ${MAX_INDENT_COLUMNS} columns deep\n  hint: a plan's lists are one level deep: \`- feature-001-login\``]);
  });

  it('refuses quotes nested hundreds deep', () => {
    const { messages } = planWith(`${'>'.repeat(3000)} x\n`);
    expect(messages[0]).toMatch(/^WAVES\.md:5:1: error: line is nested or indented more than 128 columns deep/);
  });

  it('accepts a plan of 1,000 tasks with links and emphasis', () => {
    const root = tempDir();
    mkdirSync(path.join(root, '.git'));
    const ids = Array.from({ length: 1000 }, (_, i) => `feature-${String(i).padStart(4, '0')}`);
    for (const id of ids) {
      mkdirSync(path.join(root, 'feature-management/features', id), { recursive: true });
      writeFileSync(path.join(root, 'feature-management/features', id, 'PROMPT.md'), `# Feature: ${id}\n\n## Acceptance Criteria\n- [ ] works\n`);
    }
    const items = ids.map((id, i) => (i % 2 ? `- [**${id}**](feature-management/features/${id}/PROMPT.md)` : `- \`${id}\` — _title_`));
    writeFileSync(path.join(root, 'WAVES.md'), `# Big\n\n## Wave 1\n\n${items.join('\n')}\n`);
    const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(plan!.waves[0]!.tasks).toHaveLength(1000);
  });
});
