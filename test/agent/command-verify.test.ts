import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandAdapter } from '../../src/agent/command/command-adapter.js';
import { runAgentTask } from '../../src/agent/session.js';
import { groupMembers } from '../../src/process/process-group.js';
import { Journal } from '../../src/journal/index.js';
import { mergedTasks, planRepo, runCcwave } from '../run/plan-repo.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';
import { taskFor } from './helpers/fake-agent.js';
import { waitFor } from './helpers/wait.js';

let repo: TaskRepo | undefined;
afterEach(() => repo?.cleanup());

const commitA = 'echo a > a.txt && git add a.txt && git commit -qm "add a"';
/** Passes only when the agent also wrote ok.txt; says what is missing otherwise. */
const VERIFY = 'echo checking; test -f ok.txt || { echo "ok.txt is missing"; exit 4; }';

describe('verify for a command agent', () => {
  it('a failing verify fails the attempt with its exit code and last line', async () => {
    repo = makeTaskRepo();
    const result = await runAgentTask({
      adapter: createCommandAdapter({ shell: commitA, verify: { command: VERIFY, timeoutMs: 60_000 } }),
      task: taskFor(repo),
      timeouts: { wallMs: 30_000, idleMs: 10_000 },
    });
    expect(result).toMatchObject({ status: 'failed', reason: 'verify failed (exit 4): ok.txt is missing' });
    expect(result.commits).toHaveLength(1);
    expect(readFileSync(path.join(repo.taskDir, 'verify.log'), 'utf8')).toBe('checking\nok.txt is missing\n');
  });

  it('a passing verify leaves the task done', async () => {
    repo = makeTaskRepo();
    const result = await runAgentTask({
      adapter: createCommandAdapter({ shell: `echo ok > ok.txt && git add ok.txt && ${commitA}`, verify: { command: VERIFY, timeoutMs: 60_000 } }),
      task: taskFor(repo),
      timeouts: { wallMs: 30_000, idleMs: 10_000 },
    });
    expect(result).toMatchObject({ status: 'done' });
  });

  it('a verify that runs too long fails at the time limit', async () => {
    repo = makeTaskRepo();
    const result = await runAgentTask({
      adapter: createCommandAdapter({ shell: commitA, verify: { command: 'sleep 371', timeoutMs: 200 } }),
      task: taskFor(repo),
      timeouts: { wallMs: 30_000, idleMs: 10_000 },
    });
    expect(result).toMatchObject({ status: 'failed', reason: 'verify timed out after 200ms' });
  });

  it('the run stopping during verify interrupts the attempt and ends the command', async () => {
    repo = makeTaskRepo();
    const pidFile = path.join(repo.root, 'verify.pid');
    const stop = new AbortController();
    const running = runAgentTask({
      adapter: createCommandAdapter({ shell: commitA, verify: { command: `echo $$ > '${pidFile}'; sleep 371 & wait`, timeoutMs: 60_000 } }),
      task: taskFor(repo),
      timeouts: { wallMs: 30_000, idleMs: 10_000 },
      signal: stop.signal,
    });
    await waitFor(() => readable(pidFile), 10_000, 'verify to start');
    stop.abort();
    expect(await running).toMatchObject({ status: 'interrupted' });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(groupMembers(pid)).toEqual([]);
    // Its group record is only for a crash to leave behind.
    expect(readable(path.join(repo.taskDir, 'verify.group.json'))).toBe(false);
  });

  it('in a run, the retry tells the agent why verify failed, and its second attempt passes', async () => {
    const plan = planRepo([[{ id: 'a' }]]);
    // The agent writes ok.txt only once its prompt says the verify command failed.
    const agent = `if grep -q 'verify failed (exit 4): ok.txt is missing' "$CCWAVE_PROMPT_FILE"; then echo ok > ok.txt; git add ok.txt; git commit -qm 'add ok'; else ${commitA}; fi`;
    const text = readFileSync(path.join(plan.dir, 'WAVES.md'), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    writeFileSync(path.join(plan.dir, 'WAVES.md'), `---\nagent: ${JSON.stringify(agent)}\nverify: ${JSON.stringify(VERIFY)}\nretro: false\n---\n${text}`);
    plan.git('add', '-A');
    plan.git('commit', '-qm', 'plan');
    const result = await runCcwave(plan, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const runs = path.join(plan.dir, '.git/ccwave');
    const events = Journal.read(runs, readdirSync(path.join(runs, 'runs')).sort().at(-1)!).events;
    expect(events.filter((e) => e.type === 'agent-starting')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'task-finished')).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(mergedTasks(plan)).toEqual(['a']);
    expect(plan.git('show', 'main:ok.txt')).toBe('ok');
  });
});

describe('verify and the retrospective agent', () => {
  it("the project's verify does not apply to the lessons session", async () => {
    const plan = planRepo([[{ id: 'a' }]]);
    const agent = `if [ "$CCWAVE_TASK_ID" = retro-wave-1 ]; then echo '- Verify each task.' > LESSONS.md; git add LESSONS.md; git commit -qm lessons; else ${commitA}; fi`;
    const text = readFileSync(path.join(plan.dir, 'WAVES.md'), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '');
    writeFileSync(
      path.join(plan.dir, 'WAVES.md'),
      `---\nagent: ${JSON.stringify(agent)}\nverify: ${JSON.stringify('test -f a.txt || { echo "no a.txt"; exit 3; }')}\nretro: { agent: true }\n---\n${text}`,
    );
    plan.git('add', '-A');
    plan.git('commit', '-qm', 'plan');
    const result = await runCcwave(plan, ['run', '--no-tui']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(plan.git('show', 'main:waves/retros/test-plan-wave-1.md')).toMatch(/## Lessons\n\n- Verify each task\./);
  });
});

function readable(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').trim() !== '';
  } catch {
    return false;
  }
}
