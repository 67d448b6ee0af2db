import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPlan } from '../../src/plan/format-plan.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { tempDir } from '../helpers/temp.js';

function planWith(frontMatter: string): string {
  const root = tempDir();
  mkdirSync(path.join(root, '.git'));
  mkdirSync(path.join(root, 'feature-management/features/feature-001-a'), { recursive: true });
  writeFileSync(path.join(root, 'feature-management/features/feature-001-a/PROMPT.md'), '# Feature: A\n\n## Acceptance Criteria\n- [ ] works\n');
  writeFileSync(path.join(root, 'WAVES.md'), `${frontMatter ? `---\n${frontMatter}\n---\n` : ''}## Wave 1\n\n- feature-001\n`);
  return path.join(root, 'WAVES.md');
}

describe('commandTimeout', () => {
  it('defaults to 30m, shown by validate', () => {
    const { plan } = loadPlan(planWith(''));
    expect(plan!.settings.commandTimeout).toBe(30 * 60_000);
    expect(formatPlan(plan!)).toMatch(/^ {2}commandTimeout +30m$/m);
  });

  it('is a duration set in WAVES.md', () => {
    const { plan } = loadPlan(planWith('commandTimeout: 1h30m'));
    expect(plan!.settings.commandTimeout).toBe(90 * 60_000);
    expect(formatPlan(plan!)).toMatch(/^ {2}commandTimeout +1h30m {2}\[WAVES\.md\]$/m);
  });

  it('a bare number is refused with what is expected', () => {
    const { plan, diagnostics } = loadPlan(planWith('commandTimeout: 30'));
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => d.message).join('\n')).toMatch(/commandTimeout/);
  });

  it('is run-wide: a PROMPT.md cannot set it', () => {
    const file = planWith('');
    writeFileSync(path.join(path.dirname(file), 'feature-management/features/feature-001-a/PROMPT.md'), '---\ncommandTimeout: 5m\n---\n# Feature: A\n\n## Acceptance Criteria\n- [ ] works\n');
    const { diagnostics } = loadPlan(file);
    expect(
      diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => d.message)
        .join('\n'),
    ).toMatch(/commandTimeout/);
  });
});
