import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { tempDir } from '../helpers/temp.js';

/** The whole demo, two waves with a conflict hand-back: about 40 s here, longer on a loaded machine. */
const DEMO_TIMEOUT_MS = 180_000;

describe('ccwave demo', () => {
  it(
    'builds the sample project in two waves; the conflicting task is resolved by its own agent',
    () => {
      const dir = path.join(tempDir('ccwave-demo-test-'), 'textkit');
      const result = ccwave(['demo', '--dir', dir, '--no-tui'], { env: { CI: 'true' }, timeoutMs: DEMO_TIMEOUT_MS });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const merged = git(dir, 'log', '--merges', '--reverse', '--format=%(trailers:key=Ccwave-Task,valueonly)', 'main')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      expect(merged).toEqual(['feature-001-slugify', 'feature-002-word-stats', 'feature-003-cli', 'feature-004-usage-docs']);
      // The conflict in src/index.js was resolved by keeping both exports, and the tests pass on main.
      expect(readFileSync(path.join(dir, 'src/index.js'), 'utf8')).toMatch(/slugify[\s\S]*wordStats/);
      expect(git(dir, 'ls-tree', '--name-only', 'main', 'waves/retros/')).toBe('waves/retros/textkit-demo-wave-1.md\nwaves/retros/textkit-demo-wave-2.md');
      expect(result.stdout).toMatch(/The result is in /);
      const runs = path.join(dir, '.git/ccwave/runs');
      const journal = readFileSync(path.join(runs, readdirSync(runs)[0]!, 'journal.jsonl'), 'utf8');
      expect(journal).toMatch(/"type":"agent-starting","task":"feature-002-word-stats","attempt":2/);
    },
    DEMO_TIMEOUT_MS,
  );
});
