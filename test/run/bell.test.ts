import * as pty from 'node-pty';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../agent/helpers/wait.js';
import { CLI } from '../helpers/cli.js';
import { commitTurn, planRepo, runCcwave, runState, type PlanRepo } from './plan-repo.js';

const BELL = '\x07';
const bells = (text: string): number => text.split(BELL).length - 1;

/** The built CLI in a real terminal (a PTY), as a person starts it; everything it printed, raw. */
function ccwaveInTerminal(repo: PlanRepo, args: string[]): { output: () => string; exited: Promise<number>; kill: (signal: string) => void } {
  const child = pty.spawn(process.execPath, [CLI, ...args], {
    cwd: repo.dir,
    cols: 100,
    rows: 30,
    env: { ...process.env, NO_COLOR: '1', FAKE_AGENT_SCRIPT_DIR: repo.scripts, FAKE_AGENT_STATE_DIR: repo.state, CI: '' },
  });
  let output = '';
  child.onData((data) => {
    output += data;
  });
  const exited = new Promise<number>((resolve) => child.onExit(({ exitCode }) => resolve(exitCode)));
  return { output: () => output, exited, kill: (signal) => child.kill(signal) };
}

const twoWaves = () => planRepo([[{ id: 'feature-001-alpha' }], [{ id: 'feature-002-beta' }]]);
const oneWave = () => planRepo([[{ id: 'feature-001-alpha' }]]);

describe('the terminal bell', () => {
  it('rings once per finished wave in a terminal', async () => {
    const run = ccwaveInTerminal(twoWaves(), ['run', '--no-tui']);
    expect(await run.exited).toBe(0);
    expect(bells(run.output())).toBe(2);
  });

  it('stays silent when the output is not a terminal, and with --no-bell', async () => {
    const piped = await runCcwave(oneWave(), ['run', '--no-tui']);
    expect(piped.status).toBe(0);
    expect(bells(piped.stdout) + bells(piped.stderr)).toBe(0);
    const quiet = ccwaveInTerminal(oneWave(), ['run', '--no-tui', '--no-bell']);
    expect(await quiet.exited).toBe(0);
    expect(bells(quiet.output())).toBe(0);
  });

  it('rings when a task waits for a person to answer its agent', async () => {
    const ask = { steps: [{ permission: 'Bash(make deploy)' }, { write: 'alpha.txt', content: 'x\n' }, { commit: 'Add alpha.txt' }], reply: 'Done.' };
    const repo = planRepo([[{ id: 'feature-001-alpha', turns: [ask, commitTurn('x.txt')] }]], { permissionPrompt: 'wait' });
    const run = ccwaveInTerminal(repo, ['run', '--no-tui']);
    await waitFor(() => bells(run.output()) > 0, 30_000, 'a bell');
    // Rung for the question, not for a wave's end: the task is still at its prompt.
    expect(runState(repo).tasks['feature-001-alpha']!.status).toBe('running');
    run.kill('SIGTERM');
    await run.exited;
  });
});
