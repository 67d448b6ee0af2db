import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Each case: a file that would sit at `file`, holding `code`; which rules (if any) must object. */
const CASES: Array<{ file: string; code: string; fails: string[] }> = [
  { file: 'src/merge/probe.ts', code: "import { RunRecorder } from '../run/recorder.js';", fails: ['no-restricted-imports'] },
  { file: 'src/merge/probe.ts', code: "import type { RunContext } from '../run/context.js';", fails: ['no-restricted-imports'] },
  { file: 'src/merge/probe.ts', code: "import { Journal } from '../journal/journal.js';", fails: [] },
  { file: 'src/merge/probe.ts', code: "import { EXIT } from '../errors.js';", fails: [] },
  { file: 'src/merge/probe.ts', code: "export { renderRetro } from '../report/retro-markdown.js';", fails: ['no-restricted-imports'] },
  { file: 'src/agent/claude/probe.ts', code: "import { Store } from '../../ui/store.js';", fails: ['no-restricted-imports'] },
  { file: 'src/run/probe.ts', code: "import { buildProgram } from '../cli/program.js';", fails: ['no-restricted-imports'] },
  { file: 'src/run/probe.ts', code: "import { queueWave } from '../merge/queue.js';", fails: [] },
  { file: 'src/cli/probe.ts', code: "import { runPlan } from '../run/run-plan.js';", fails: [] },
  { file: 'src/doctor/probe.ts', code: "import { runPlan } from '../run/run-plan.js';", fails: ['no-restricted-imports'] },
  { file: 'src/doctor/probe.ts', code: "import { AgentAdapter } from '../agent/adapter.js';", fails: [] },
  { file: 'src/run/probe.ts', code: "import { runClaudeChecks } from '../doctor/claude-checks.js';", fails: ['no-restricted-imports'] },
  { file: 'src/journal/probe.ts', code: "import { readBootId } from '../process/process-identity.js';", fails: [] },
  { file: 'src/process/probe.ts', code: "import { Journal } from '../journal/journal.js';", fails: ['no-restricted-imports'] },
  { file: 'src/git/probe.ts', code: "import { loadPlan } from '../plan/load-plan.js';", fails: ['no-restricted-imports'] },
  { file: 'src/probe.ts', code: "import { GitExec } from './git/exec.js';", fails: ['no-restricted-imports'] },
  { file: 'src/probe.ts', code: "import { UserError } from './errors.js';", fails: [] },
  { file: 'src/cli/probe.ts', code: "import { execFileSync } from 'node:child_process';\nexecFileSync('git', ['status']);", fails: ['no-restricted-syntax'] },
  { file: 'src/git/probe.ts', code: "import { execFileSync } from 'node:child_process';\nexecFileSync('git', ['status']);", fails: [] },
  { file: 'src/run/probe.ts', code: "export const head = (repo) => repo.git.text(['rev-parse', 'HEAD']);", fails: ['no-restricted-syntax'] },
  { file: 'src/git/probe.ts', code: "export const head = (exec) => exec.text(['rev-parse', 'HEAD']);", fails: [] },
];

describe('the layer rule in eslint.config.js', () => {
  let eslint: ESLint;
  beforeAll(() => {
    eslint = new ESLint({ cwd: REPO_ROOT });
  });

  it.each(CASES)('$file: $code', async ({ file, code, fails }) => {
    const [result] = await eslint.lintText(`${code}\n`, { filePath: path.join(REPO_ROOT, file) });
    // Only the rules that guard the layers: an unused import in these snippets is beside the point.
    const layerRules = (result?.messages ?? []).map((m) => m.ruleId).filter((rule) => rule === 'no-restricted-imports' || rule === 'no-restricted-syntax');
    expect(layerRules).toEqual(fails);
  });

  it('names the layers in its message', async () => {
    const [result] = await eslint.lintText("import { RunRecorder } from '../run/recorder.js';\n", { filePath: path.join(REPO_ROOT, 'src/merge/probe.ts') });
    expect(result?.messages[0]?.message).toMatch(/src\/merge may not import src\/run: the layers are cli → run/);
  });
});
