import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CODEX_CHECKS } from '../../src/doctor/codex-checks.js';
import { passedVersionsFile, readPassedVersions } from '../../src/doctor/passed-versions.js';
import { CLI } from '../helpers/cli.js';
import { CODEX_BINARIES } from '../helpers/codex-binaries.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

/** Doctor drives two real Codex sessions: far longer than a plain CLI call. */
const DOCTOR_TIMEOUT_MS = 300_000;

describe.each(CODEX_BINARIES)('ccwave doctor on a plan whose task runs the real Codex CLI $version', ({ version, path: codex }) => {
  it(
    'runs the Codex checks, passes them all, names the version, and remembers it apart from Claude’s',
    () => {
      const repo = makeRepo();
      repo.commit(
        {
          'feature-management/features/f1/PROMPT.md': '# Feature: f1\n\n## Acceptance Criteria\n- [ ] done\n',
          'WAVES.md': `---\nagent: { kind: codex, command: [${JSON.stringify(codex)}] }\ntest: "true"\n---\n## Wave 1\n\n- f1\n`,
        },
        'plan',
      );
      const config = tempDir('ccwave-config-');
      const result = spawnSync(process.execPath, [CLI, 'doctor', '--json'], {
        cwd: repo.dir,
        env: { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: config },
        encoding: 'utf8',
        timeout: DOCTOR_TIMEOUT_MS,
      });
      const out = JSON.parse(result.stdout) as { codexVersion: string; ok: boolean; results: Array<{ id: string; status: string }> };
      const codexResults = out.results.filter((r) => r.id.startsWith('codex.'));
      expect(codexResults.map((r) => r.id)).toEqual(Object.values(CODEX_CHECKS).map((c) => c.id));
      expect(
        out.results.filter((r) => r.status !== 'ok'),
        `${result.stdout}\n${result.stderr}`,
      ).toEqual([]);
      expect(result.status).toBe(0);
      expect(out.codexVersion).toBe(version);
      expect(Object.keys(readPassedVersions({ XDG_CONFIG_HOME: config }, 'codex'))).toEqual([version]);
      // Claude's list is its own: a Codex version is never taken for a Claude Code one.
      expect(readPassedVersions({ XDG_CONFIG_HOME: config })).toEqual({});
      expect(passedVersionsFile({ XDG_CONFIG_HOME: config }, 'codex')).not.toBe(passedVersionsFile({ XDG_CONFIG_HOME: config }));
    },
    DOCTOR_TIMEOUT_MS,
  );
});
