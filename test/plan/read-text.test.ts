import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { tempDir } from '../helpers/temp.js';

describe('reading plan files', () => {
  // Opening a named pipe waits for a writer: validation would hang for ever.
  it('refuses a named pipe as the plan or a PROMPT.md instead of waiting on it', () => {
    const root = tempDir();
    mkdirSync(path.join(root, '.git'));
    mkdirSync(path.join(root, 'feature-management/features/feature-001-a'), { recursive: true });
    execFileSync('mkfifo', [path.join(root, 'feature-management/features/feature-001-a/PROMPT.md')]);
    writeFileSync(path.join(root, 'WAVES.md'), '## Wave 1\n\n- feature-001-a\n');
    const { plan, diagnostics } = loadPlan(path.join(root, 'WAVES.md'));
    expect(plan).toBeUndefined();
    expect(diagnostics.map((d) => formatDiagnostic(d, root))).toEqual(['feature-management/features/feature-001-a/PROMPT.md:1:1: error: PROMPT.md is not a regular file']);
    execFileSync('mkfifo', [path.join(root, 'PIPE.md')]);
    expect(loadPlan(path.join(root, 'PIPE.md')).diagnostics.map((d) => formatDiagnostic(d, root))).toEqual(['PIPE.md:1:1: error: plan is not a regular file']);
  });
});
