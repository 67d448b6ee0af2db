import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, replay } from '../../src/journal/index.js';
import { CLI } from '../helpers/cli.js';
import { mergedTasks, planRepo, runCcwave, type PlanRepo } from './plan-repo.js';

function journal(repo: PlanRepo) {
  const runs = path.join(repo.dir, '.git/ccwave/runs');
  if (!existsSync(runs)) return [];
  const id = readdirSync(runs).sort().at(-1);
  // The run's folder is made just before its journal file: polled in between, there is nothing yet.
  if (!id || !existsSync(path.join(runs, id, 'journal.jsonl'))) return [];
  return Journal.read(path.join(repo.dir, '.git/ccwave'), id).events;
}

async function until(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Processes still running the fake agent for this repository's scripts. */
function fakeAgents(repo: PlanRepo): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').includes(repo.scripts) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('fake-agent');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('stopping and resuming a run', () => {
  it('Ctrl-C stops politely and exits 130; running it again resumes the sessions and finishes', async () => {
    const slow = (file: string) => ({ steps: [{ work: 8000 }, { write: file, content: `${file}\n` }, { commit: `Add ${file}` }], reply: `Added ${file}.` });
    // The second turn answers "ccwave was restarted…": the resumed session does the work.
    const repo = planRepo([
      [
        { id: 'a', turns: [slow('a.txt'), slow('a.txt')] },
        { id: 'b', turns: [slow('b.txt'), slow('b.txt')] },
      ],
    ]);
    const child = spawn(process.execPath, [CLI, 'run', '--no-tui'], {
      cwd: repo.dir,
      env: { ...process.env, FAKE_AGENT_SCRIPT_DIR: repo.scripts, FAKE_AGENT_STATE_DIR: repo.state },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(() => journal(repo).filter((e) => e.type === 'agent-state' && e.state === 'working').length >= 2, 'both agents working');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stdout).toMatch(/again to resume run/);
    const events = journal(repo);
    expect(events.at(-1)).toMatchObject({ type: 'run-interrupted' });
    expect(replay(events).tasks.a!.status).toBe('running');
    expect(fakeAgents(repo)).toEqual([]);

    const resumed = await runCcwave(repo, ['run', '--no-tui']);
    expect(resumed.stderr).toMatch(/resuming run \S+ at wave 1: 0 done, 2 to resume, 0 to start/);
    expect(resumed.status).toBe(0);
    expect(mergedTasks(repo).sort()).toEqual(['a', 'b']);
    const starts = journal(repo).filter((e) => e.type === 'agent-starting');
    expect(starts.filter((e) => e.type === 'agent-starting' && e.task === 'a').map((e) => e.type === 'agent-starting' && e.resume)).toEqual([false, true]);

    // The task's terminal, as text and raw.
    const text = await runCcwave(repo, ['logs', 'a']);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/● Added a\.txt\./);
    const raw = await runCcwave(repo, ['logs', 'a', '--raw']);
    const log = path.join(repo.dir, '.git/ccwave/runs', readdirSync(path.join(repo.dir, '.git/ccwave/runs'))[0]!, 'tasks/a/pty.log');
    expect(raw.stdoutBytes.equals(readFileSync(log))).toBe(true);
    expect((await runCcwave(repo, ['logs', 'zzz'])).status).toBe(2);
  });
});
