import { describe, expect, it } from 'vitest';
import { hostileRepo } from '../hostile/hostile-repo.js';
import { runCcwave } from '../run/plan-repo.js';

/** Longer than any fixed column: a task id past the 28 a table cell allows, a line past 120. */
const LONG_ID = 'feature-042-import-the-quarterly-ledgers-from-csv';
const LONG_LINE = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');

describe('output through a pipe', () => {
  it('is never cut to a width: no terminal, no width; `logs` keeps the agent’s own line ends', async () => {
    const repo = hostileRepo([
      [
        {
          id: LONG_ID,
          script: `console.log(${JSON.stringify(LONG_LINE)});\nconsole.log('second line');\ncommit('ledger.txt');`,
        },
      ],
    ]);
    const result = await repo.run();
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).not.toContain('…');
    // The summary's row names the task in full, so it can be pasted into the next command.
    expect(result.stdout).toMatch(new RegExp(`^${LONG_ID} +.* ● merged\\b`, 'm'));

    const logs = await runCcwave(repo, ['logs', LONG_ID]);
    expect(logs.status, logs.stderr).toBe(0);
    const lines = logs.stdout.split('\n');
    expect(lines).toContain(LONG_LINE);
    expect(lines).toContain('second line');
  });
});
