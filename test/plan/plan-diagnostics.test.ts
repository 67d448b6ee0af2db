import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { planFeatures } from '../../src/plan/plan-features.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { tempDir } from '../helpers/temp.js';

/** A repository-like folder with one PROMPT.md per entry (front matter and body as given). */
function features(specs: Record<string, string>): { root: string; dir: string } {
  const root = tempDir('ccwave-plan-diag-');
  mkdirSync(path.join(root, '.git'));
  const dir = path.join(root, 'feature-management/features');
  for (const [id, text] of Object.entries(specs)) {
    mkdirSync(path.join(dir, id), { recursive: true });
    writeFileSync(path.join(dir, id, 'PROMPT.md'), text);
  }
  return { root, dir };
}

const prompt = (title: string, dependencies: string): string => `# Feature: ${title}\n\n## Dependencies\n${dependencies}\n\n## Acceptance Criteria\n- [ ] works\n`;

function problems(specs: Record<string, string>): { lines: string[]; planned: boolean } {
  const { root, dir } = features(specs);
  const result = planFeatures({ featuresDir: dir, root, merged: new Map() });
  return { lines: result.diagnostics.map((d) => formatDiagnostic(d, root)), planned: result.plan !== undefined };
}

describe('plan diagnostics', () => {
  it('reports a cycle at the Requires: entry that closes it, and blocks what depends on it', () => {
    const { lines, planned } = problems({
      'f-a': prompt('A', '- Requires: f-b'),
      'f-b': prompt('B', '- Requires: f-a'),
      'f-c': prompt('C', '- Requires: none\n- Blocked by: f-b'),
    });
    expect(planned).toBe(false);
    expect(lines).toEqual([
      'feature-management/features/f-a/PROMPT.md:4:13: error: dependency cycle: f-a → f-b → f-a\n  hint: remove one of these `Requires:` entries',
      'feature-management/features/f-c/PROMPT.md:5:15: error: `f-c` is blocked: it requires `f-b`, which cannot be planned (it is on a dependency cycle)\n  hint: fix `f-b` first, or remove this dependency',
    ]);
  });

  it('reports an unknown id with its location and the nearest name', () => {
    const { lines, planned } = problems({
      'feature-001-login': prompt('Login', '- Requires: none'),
      'feature-002-logout': prompt('Logout', '- Requires: feature-001-logn'),
    });
    expect(planned).toBe(false);
    expect(lines).toEqual([
      'feature-management/features/feature-002-logout/PROMPT.md:4:13: error: `feature-002-logout` requires `feature-001-logn`, which is not a known feature\n  hint: did you mean `feature-001-login`?',
    ]);
  });

  it('reports a bad priority in the front matter at its place', () => {
    const { lines, planned } = problems({ 'f-a': `---\npriority: P7\n---\n${prompt('A', '- Requires: none')}` });
    expect(planned).toBe(false);
    expect(lines[0]).toMatch(/^feature-management\/features\/f-a\/PROMPT\.md:2:11: error: .*priority/);
  });

  it('reads a feature prefix as its id, and a self-dependency is a cycle', () => {
    expect(problems({ 'feature-001-x': prompt('X', '- Requires: none'), 'feature-002-y': prompt('Y', '- Requires: feature-001') }).planned).toBe(true);
    expect(problems({ 'f-a': prompt('A', '- Requires: f-a') }).lines).toEqual([
      'feature-management/features/f-a/PROMPT.md:4:13: error: dependency cycle: f-a → f-a\n  hint: remove one of these `Requires:` entries',
    ]);
  });
});

describe('the maxWaveSize setting', () => {
  it('is validated like the other run settings, with its place in the file', () => {
    const { root } = features({ 'f-a': prompt('A', '- Requires: none') });
    const file = path.join(root, 'WAVES.md');
    writeFileSync(file, '---\nmaxWaveSize: 0\n---\n\n## Wave 1\n\n- f-a\n');
    const lines = loadPlan(file).diagnostics.map((d) => formatDiagnostic(d, root));
    expect(lines).toEqual(['WAVES.md:2:14: error: `maxWaveSize` must be a whole number of features per wave from 1 to 1000, not 0']);
    writeFileSync(file, '---\nmaxWaveSize: 3\n---\n\n## Wave 1\n\n- f-a\n');
    expect(loadPlan(file).plan!.settings.maxWaveSize).toBe(3);
  });
});
