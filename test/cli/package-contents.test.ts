import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

/** The files `npm pack` would put in the tarball (scripts skipped: dist/ is already built). */
function packedFiles(): string[] {
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`npm pack failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}

describe('the published package', () => {
  it('holds what the CLI and the demo run from, and no tests, corpora or source maps', () => {
    const files = packedFiles();
    for (const needed of ['package.json', 'README.md', 'dist/cli/main.js', 'fixtures/demo/WAVES.md', 'fixtures/fake-agent/fake-agent.mjs', 'waves/example.md']) {
      expect(files).toContain(needed);
    }
    expect(files.some((f) => f.startsWith('feature-management/features/'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('fixtures/') && !/^fixtures\/(demo|fake-agent)\//.test(f))).toEqual([]);
    // The demo's sample project keeps its own tests: they are its test gate.
    const ours = files.filter((f) => !f.startsWith('fixtures/demo/repo/'));
    expect(ours.filter((f) => /^(test|src|bench)\//.test(f) || /\.test\.|\.ts$/.test(f))).toEqual([]);
    expect(files).toContain('fixtures/demo/repo/test/index.test.js');
  });
});
