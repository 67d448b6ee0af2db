import { describe, expect, it } from 'vitest';
import { hostileRepo } from '../hostile/hostile-repo.js';
import { runCcwave } from '../run/plan-repo.js';

describe('ccwave logs of an agent that printed nothing', () => {
  it('says so, instead of printing nothing at all', async () => {
    const repo = hostileRepo([[{ id: 'quiet', script: "commit('quiet.txt');" }]]);
    const result = await repo.run();
    expect(result.status, result.stdout + result.stderr).toBe(0);
    for (const args of [
      ['logs', 'quiet'],
      ['logs', 'quiet', '--raw'],
    ]) {
      const logs = await runCcwave(repo, args);
      expect(logs.status).toBe(0);
      expect(logs.stdout).toBe('');
      expect(logs.stderr).toBe('quiet printed nothing to its terminal\n');
    }
  });
});
