import path from 'node:path';
import { expect, it } from 'vitest';
import { CLAUDE_CHECKS, runClaudeChecks } from '../../src/doctor/claude-checks.js';
import { tempDir } from '../helpers/temp.js';

it('a claude that does not run fails the version check and runs no other check', async () => {
  const missing = path.join(tempDir(), 'claude');
  const { version, results } = await runClaudeChecks({ claudePath: missing });
  expect(version).toBeUndefined();
  expect(results[0]).toMatchObject({ id: CLAUDE_CHECKS.version.id, status: 'failed', detail: expect.stringContaining(`\`${missing} --version\` failed`) });
  expect(results.slice(1)).toEqual(
    Object.values(CLAUDE_CHECKS)
      .slice(1)
      .map((c) => ({ ...c, status: 'failed', detail: 'not run: claude --version failed' })),
  );
});
