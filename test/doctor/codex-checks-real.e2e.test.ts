import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexScreenRules0171 } from '../../src/agent/codex/screen-rules-0.171.js';
import type { ScreenRules } from '../../src/agent/screen-class.js';
import { CODEX_CHECKS, runCodexChecks } from '../../src/doctor/codex-checks.js';
import { CODEX_BINARIES } from '../helpers/codex-binaries.js';
import { tempDir } from '../helpers/temp.js';

/** Two real Codex sessions (a commit, its resume) and the version: far longer than a plain call. */
const CHECKS_TIMEOUT_MS = 300_000;

/** What doctor is for: a Codex whose idle prompt the rules no longer recognise, as after a redesign. */
const noIdleRule: ScreenRules = {
  ...codexScreenRules0171,
  family: 'codex 0.171.x without its idle rule',
  classify: (lines, now) => {
    const screen = codexScreenRules0171.classify(lines, now);
    return screen.kind === 'idle' ? { kind: 'unknown' } : screen;
  },
};

describe.each(CODEX_BINARIES)('doctor with the real Codex CLI $version', (codex) => {
  it(
    'passes every Codex check through its own adapter, PTY host, hooks and rules, and names the version',
    async () => {
      const lines: string[] = [];
      const { version, results } = await runCodexChecks({ command: [codex.path], log: (line) => lines.push(line) });
      expect(version).toBe(codex.version);
      expect(results.map((r) => r.id)).toEqual(Object.values(CODEX_CHECKS).map((c) => c.id));
      expect(
        results.filter((r) => r.status !== 'ok'),
        lines.join('\n'),
      ).toEqual([]);
    },
    CHECKS_TIMEOUT_MS,
  );

  it(
    'fails the screens check when the table does not know the idle prompt, says so, and shows the screen',
    async () => {
      const cache = tempDir('ccwave-cache-');
      const { results } = await runCodexChecks({ command: [codex.path], screenRules: noIdleRule, env: { XDG_CACHE_HOME: cache } });
      // Without the idle prompt ccwave never types /exit (the session is ended by force): those fail too, the others pass.
      expect(results.filter((r) => r.status !== 'ok').map((r) => r.id)).toEqual([CODEX_CHECKS.hooks.id, CODEX_CHECKS.screens.id, CODEX_CHECKS.exit.id]);
      const screens = results.find((r) => r.id === CODEX_CHECKS.screens.id);
      expect(screens).toMatchObject({ status: 'failed', detail: expect.stringContaining('matched no rule of the `codex 0.171.x without its idle rule` table') });
      expect(screens?.screen?.join('\n')).toMatch(/›/);
      // The scratch folder (CODEX_HOME and repositories) is gone.
      expect(readdirSync(path.join(cache, 'ccwave'))).toEqual([]);
    },
    CHECKS_TIMEOUT_MS,
  );
});
