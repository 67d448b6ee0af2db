import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { tempDir } from '../helpers/temp.js';

describe('formatDiagnostic', () => {
  // A folder name with a line break split one problem over two lines, the second unlocated; an
  // escape sequence in a name reached the terminal.
  it('keeps each problem on its own located line, with control characters escaped', () => {
    const root = tempDir();
    mkdirSync(path.join(root, '.git'));
    mkdirSync(path.join(root, 'feature-management/features/new\nline\x1b[2J'), { recursive: true });
    writeFileSync(path.join(root, 'WAVES.md'), '## Wave 1\n\n- feature-404\n');
    const lines = loadPlan(path.join(root, 'WAVES.md')).diagnostics.map((d) => formatDiagnostic(d, root));
    expect(lines).toEqual(['WAVES.md:3:3: error: unknown feature `feature-404`: no folder of that name in `feature-management/features`\n  hint: known features: new\\nline\\u001b[2J']);
  });
});
