import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeRepo } from '../helpers/repo.js';

describe('run --base', () => {
  // A revision resolves like a branch, and the run then failed with an internal error when it
  // moved it: refused up front like the plan's `base:`.
  it.each(['main~1', 'main^', '-x'])('refuses %s, which is not a branch name, before changing anything', (base) => {
    const dir = makeRepo().dir;
    mkdirSync(path.join(dir, 'feature-management/features/f1'), { recursive: true });
    writeFileSync(path.join(dir, 'feature-management/features/f1/PROMPT.md'), '# Feature: f1\n\n## Acceptance Criteria\n- [ ] done\n');
    writeFileSync(path.join(dir, 'WAVES.md'), '---\nagent: "true"\n---\n## Wave 1\n\n- f1\n');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'plan');
    const refs = git(dir, 'for-each-ref');
    const result = ccwave(['run', '--dry-run', '--no-tui', `--base=${base}`, 'WAVES.md'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`ccwave: \`${base}\` is not a branch name: it must not`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(git(dir, 'for-each-ref')).toBe(refs);
  });
});

describe('run with a worktrees folder that cannot be made', () => {
  // git failed to create the first worktree and the run ended with an internal error.
  it.each(['/dev/null', 'WAVES.md/trees'])('refuses `worktrees: %s` before changing anything', (worktrees) => {
    const dir = makeRepo().dir;
    mkdirSync(path.join(dir, 'feature-management/features/f1'), { recursive: true });
    writeFileSync(path.join(dir, 'feature-management/features/f1/PROMPT.md'), '# Feature: f1\n\n## Acceptance Criteria\n- [ ] done\n');
    writeFileSync(path.join(dir, 'WAVES.md'), `---\nagent: "true"\nworktrees: ${worktrees}\n---\n## Wave 1\n\n- f1\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'plan');
    const refs = git(dir, 'for-each-ref');
    const result = ccwave(['run', '--no-tui', 'WAVES.md'], { cwd: dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^ccwave: cannot make the worktrees folder .*: .* is not a folder$/m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(git(dir, 'for-each-ref')).toBe(refs);
  });
});
