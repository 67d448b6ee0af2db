import { describe, expect, it } from 'vitest';
import { outcomes, hostileRepo, unreachable } from './hostile-repo.js';

describe('agents that exit in odd ways', () => {
  it('each ends in a named status, retries stay bounded, and no commit is lost', async () => {
    const agents = [
      { id: 'no-commits', script: `process.exit(0);` },
      { id: 'fails-after-commit', script: `commit('a.txt');\nprocess.exit(1);` },
      { id: 'sigkill', script: `commit('b.txt');\nprocess.kill(process.pid, 'SIGKILL');` },
      { id: 'never-exits', script: `console.log('thinking');\nsetInterval(() => {}, 1 << 30);`, frontMatter: 'idleTimeout: 2s' },
      // Exits at once, every time: the retries setting bounds the attempts.
      { id: 'spinner', script: `process.exit(3);`, frontMatter: 'retries: 3' },
      {
        id: 'many-commits',
        script: `
const parent = git('rev-parse', 'HEAD');
const branch = git('symbolic-ref', 'HEAD');
let stream = '';
for (let i = 1; i <= 1500; i++) {
  const msg = 'commit ' + i + '\\n';
  const body = String(i) + '\\n';
  stream += 'commit ' + branch + '\\nmark :' + i + '\\ncommitter A <a@example.com> ' + (1700000000 + i) + ' +0000\\ndata ' + Buffer.byteLength(msg) + '\\n' + msg;
  stream += (i === 1 ? 'from ' + parent + '\\n' : '') + 'M 100644 inline many.txt\\ndata ' + Buffer.byteLength(body) + '\\n' + body + '\\n';
}
cp.execFileSync('git', ['fast-import', '--quiet', '--force'], { input: stream });
git('reset', '-q', '--hard');
made(git('rev-parse', 'HEAD'));`,
      },
    ];
    const repo = hostileRepo([agents]);
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const state = repo.runState();
    const outcome = outcomes(state);
    expect(outcome).toEqual({
      'no-commits': 'failed: the command exited with code 0 but made no commits',
      'fails-after-commit': 'failed: the command exited with code 1',
      sigkill: 'failed: the command was killed by signal 9 (SIGKILL)',
      'never-exits': expect.stringMatching(/^timeout: idle timeout/),
      spinner: 'failed: the command exited with code 3',
      'many-commits': 'done: 1500 commit(s), clean worktree',
    });
    expect(state.tasks.spinner!.attempts).toBe(4);
    expect(repo.git('show', 'main:many.txt')).toBe('1500');
    expect(result.stdout).toMatch(/fails-after-commit +✗ failed: the command exited with code 1 in \d+s · 1 commit kept on ccwave\//);
    expect(
      unreachable(
        repo,
        agents.map((a) => a.id),
      ),
    ).toEqual([]);
  });
});
