import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { running } from '../agent/helpers/processes.js';
import { outcomes, hostileRepo, unreachable } from './hostile-repo.js';

/**
 * Starts a process in a session of its own (`detached` calls setsid: it leaves the agent's process
 * group) and notes its pid, for the test to check after the run.
 */
const LEAVE = `
function leave(name, argv, options = {}) {
  const child = cp.spawn(argv[0], argv.slice(1), { detached: true, stdio: 'ignore', ...options });
  child.unref();
  fs.mkdirSync(path.join(notes, 'pids'), { recursive: true });
  fs.writeFileSync(path.join(notes, 'pids', name), String(child.pid));
}`;

/** Everything a terminal would act on: C0 (but newline and tab), DEL, C1, bidi overrides and isolates. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const SALVO = [
  '\\x1b]52;c;' + Buffer.from('rm -rf ~').toString('base64') + '\\x07', // clipboard write
  '\\x1b]8;;https://evil.example/\\x1b\\\\click me\\x1b]8;;\\x1b\\\\', // hyperlink
  '\\x1b]0;owned title\\x07\\x1b]2;another\\x1b\\\\', // window title
  '\\x1b[2J\\x1b[H\\x1b[10;10H\\x1b[?1049h\\x1b[?25l', // clear, home, move, alternate screen, hide cursor
  '\\x07\\x07', // bells
  'fake progress\\rOVERWRITTEN', // carriage-return overwrite
  '\\u202eevil\\u202c \\u2066isolate\\u2069', // bidi override and isolate
  '\\u009b31m C1 CSI \\u009d0;c1 title\\u009c', // 8-bit C1 controls
].join('');

describe('agents that leave processes behind or print escape sequences', () => {
  it('no process of theirs outlives the run; no escape sequence reaches the plain log, status, logs or the retro', async () => {
    const agents = [
      {
        id: 'daemon',
        script: `${LEAVE}
leave('setsid-sleep', ['sleep', '1000']);
leave('writer', [process.execPath, '-e', 'setInterval(() => require("fs").appendFileSync("busy.log", "x"), 20)'], { cwd: process.cwd() });
commit('daemon.txt');
while (!fs.existsSync('busy.log')) await new Promise((r) => setTimeout(r, 20));`,
      },
      // A detached child that keeps the terminal open after the agent exits.
      { id: 'holder', script: `${LEAVE}\nleave('pty-holder', ['sleep', '1000'], { stdio: 'inherit' });\ncommit('holder.txt');` },
      {
        id: 'escapes',
        script: `
const salvo = ${JSON.stringify(SALVO)};
process.stdout.write(salvo + '\\n');
process.stderr.write(salvo + '\\n');
commit('odd\\nname \\x1b[31mred\\x1b[0m \\u202etxt.md', 'x\\n', 'Subject \\x1b]52;c;aGk=\\x07 \\x1b[2J\\u202e evil \\u009b31m\\n\\nbody \\x1b[31m');
commit('long.txt', 'x\\n', 'L'.repeat(5000));`,
      },
      { id: 'flood', script: `const chunk = 'flood '.repeat(1000) + '\\n';\nfor (let i = 0; i < 1300; i++) process.stdout.write(chunk);\ncommit('flood.txt');` },
      { id: 'closer', script: `commit('closer.txt');\nfs.closeSync(1);\nfs.closeSync(2);\nawait new Promise((r) => setTimeout(r, 100));` },
      { id: 'segv', script: `commit('segv.txt');\nprocess.kill(process.pid, 'SIGSEGV');` },
    ];
    const repo = hostileRepo([agents]);
    const result = await repo.run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    const state = repo.runState();
    const outcome = outcomes(state);
    expect(outcome).toEqual({
      // Its writer keeps changing the worktree: uncommitted work is a failure, and the writer dies.
      daemon: expect.stringMatching(/^failed: .*uncommitted changes/),
      holder: expect.stringMatching(/^done/),
      escapes: expect.stringMatching(/^done/),
      flood: expect.stringMatching(/^done/),
      closer: expect.stringMatching(/^done/),
      segv: expect.stringMatching(/^failed: .*signal/),
    });
    const pids = path.join(repo.outside, 'pids');
    const alive = readdirSync(pids).filter((name) => running(Number(readFileSync(path.join(pids, name), 'utf8'))));
    expect(alive).toEqual([]);
    expect(result.stdout).toMatch(/repair: agent-processes-killed daemon: killed 2 process/);

    const texts = {
      run: result.stdout,
      status: (await repo.run(['status'])).stdout,
      logs: (await repo.run(['logs', 'escapes'])).stdout,
      retro: repo.git('show', 'main:waves/retros/hostile-plan-wave-1.md'),
    };
    for (const [where, text] of Object.entries(texts)) expect({ where, bad: text.match(CONTROL)?.[0] }).toEqual({ where, bad: undefined });
    expect(texts.run).toMatch(/escapes +✓ done/);
    expect(readFileSync(repo.sentinel, 'utf8')).toBe("the user's own file\n");
    expect(
      unreachable(
        repo,
        agents.map((a) => a.id),
      ),
    ).toEqual([]);
  });

  it('a conflict on a file named with escape sequences and a newline is reported inertly', async () => {
    const name = JSON.stringify('evil \x1b]52;c;aGk=\x07\nline \u202etxt.md \u009b2J');
    const agents = [
      { id: 'first', script: `commit(${name}, 'one\\n');` },
      { id: 'second', script: `commit(${name}, 'two\\n');` },
    ];
    const repo = hostileRepo([agents], { merge: { onConflict: 'skip' }, concurrency: 2 });
    const result = await repo.run();
    expect(result.stderr).toBe('');
    const state = repo.runState();
    expect(state.tasks.second!.merge).toMatchObject({ status: 'conflict' });
    const texts = {
      run: result.stdout,
      status: (await repo.run(['status'])).stdout,
      task: (await repo.run(['status', 'second'])).stdout,
      retro: repo.git('show', 'main:waves/retros/hostile-plan-wave-1.md'),
    };
    for (const [where, text] of Object.entries(texts)) expect({ where, bad: text.match(CONTROL)?.[0] }).toEqual({ where, bad: undefined });
    expect(texts.run).toMatch(/merge second → ≠ conflict: evil \\x1b\]52;c;aGk=\\x07\\nline \\u202etxt\.md \\x9b2J/);
  });
});
