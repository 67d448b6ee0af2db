import { describe, expect, it } from 'vitest';
import { CLAUDE_CHECKS, runClaudeChecks } from '../../src/doctor/claude-checks.js';
import { CLAUDE_BINARIES } from '../helpers/claude-binaries.js';

/**
 * The Claude checks of `ccwave doctor` against the real Claude Code binaries (pinned and newest):
 * every check a run depends on passes through ccwave's own adapter, PTY host, hooks and rules.
 */
describe.each(CLAUDE_BINARIES)('doctor with the real Claude Code $version', (claude) => {
  it('passes every Claude check; the usage limit works but its reset time is not read', async () => {
    const lines: string[] = [];
    const { version, results } = await runClaudeChecks({ claudePath: claude.path, log: (line) => lines.push(line) });
    const log = lines.join('\n');
    expect(version).toBe(claude.version);
    expect(results.map((r) => r.id)).toEqual(Object.values(CLAUDE_CHECKS).map((c) => c.id));
    for (const result of results.filter((r) => r.id !== CLAUDE_CHECKS.usageLimit.id)) {
      expect(result, `${JSON.stringify(result, null, 2)}\n${log}`).toMatchObject({ status: 'ok' });
    }
    // Both versions say "Usage limit reached · set to continue automatically at 8:40am", whose time
    // the usage-limit rule does not read yet: a run then waits its default hour. Doctor says so.
    expect(
      results.find((r) => r.id === CLAUDE_CHECKS.usageLimit.id),
      log,
    ).toMatchObject({
      status: 'changed',
      detail: expect.stringMatching(/no reset time was read from "● Usage limit reached · set to continue automatically at \d{1,2}:\d\d[ap]m"/),
      screen: expect.arrayContaining([expect.stringMatching(/Usage limit reached/)]),
    });
  }, 600_000);
});
