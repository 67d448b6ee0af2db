import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLAUDE_CHECKS } from '../../src/doctor/claude-checks.js';
import { newestPassedVersion, readPassedVersions } from '../../src/doctor/passed-versions.js';
import { CLAUDE_BINARIES } from '../helpers/claude-binaries.js';
import { CLI } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** Doctor drives a real Claude through every check it has: far longer than a plain CLI call. */
const DOCTOR_TIMEOUT_MS = 600_000;

describe.each(CLAUDE_BINARIES)('ccwave doctor with the real Claude Code $version', ({ version, path: claude }) => {
  it(
    'passes every Claude check through its own adapter, PTY host, hooks and rules, names the version, and remembers it as passed on this machine',
    () => {
      const config = tempDir('ccwave-config-');
      const result = spawnSync(process.execPath, [CLI, 'doctor', '--json', '--agent-command', claude], {
        cwd: tempDir('ccwave-norepo-'),
        env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: config },
        encoding: 'utf8',
        timeout: DOCTOR_TIMEOUT_MS,
      });
      const out = JSON.parse(result.stdout) as { claudeVersion: string; ok: boolean; results: Array<{ id: string; status: string }> };
      expect(out.results.filter((r) => r.status === 'failed')).toEqual([]);
      const claudeResults = out.results.filter((r) => r.id.startsWith('claude.'));
      expect(claudeResults.map((r) => r.id)).toEqual(Object.values(CLAUDE_CHECKS).map((c) => c.id));
      // Every check, the usage limit's reset time included: none merely `changed`.
      expect(
        claudeResults.filter((r) => r.status !== 'ok'),
        result.stdout,
      ).toEqual([]);
      expect(result.status).toBe(0);
      expect(out.claudeVersion).toBe(version);
      expect(Object.keys(readPassedVersions({ XDG_CONFIG_HOME: config }))).toEqual([version]);
      expect(newestPassedVersion({ XDG_CONFIG_HOME: config })).toBe(version);
    },
    DOCTOR_TIMEOUT_MS,
  );
});
