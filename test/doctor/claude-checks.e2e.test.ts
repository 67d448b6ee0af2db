import { describe, expect, it } from 'vitest';
import { CLAUDE_CHECKS, runClaudeChecks } from '../../src/doctor/claude-checks.js';
import { CLAUDE_BINARIES } from '../helpers/claude-binaries.js';

/**
 * The Claude checks of `ccwave doctor` against the real Claude Code binaries (pinned and newest):
 * every check a run depends on passes through ccwave's own adapter, PTY host, hooks and rules.
 */
describe.each(CLAUDE_BINARIES)('doctor with the real Claude Code $version', (claude) => {
  it('passes every Claude check, the usage limit with its reset time read', async () => {
    const lines: string[] = [];
    const { version, results } = await runClaudeChecks({ claudePath: claude.path, log: (line) => lines.push(line) });
    const log = lines.join('\n');
    expect(version).toBe(claude.version);
    expect(results.map((r) => r.id)).toEqual(Object.values(CLAUDE_CHECKS).map((c) => c.id));
    for (const result of results) {
      expect(result, `${JSON.stringify(result, null, 2)}\n${log}`).toMatchObject({ status: 'ok' });
    }
  }, 600_000);
});
