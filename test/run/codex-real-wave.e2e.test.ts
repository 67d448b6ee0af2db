import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeResponsesApi, workingDirectory, type FakeResponsesApi, type FakeResponsesScript, type SentResponsesUsage } from '../../src/doctor/fake-responses-api.js';
import { taskUsage, type JournalEvent } from '../../src/journal/index.js';
import { processesWithEnv } from '../agent/helpers/processes.js';
import { waitFor } from '../agent/helpers/wait.js';
import { CODEX_BINARIES, codexEnv, codexHome } from '../helpers/codex-binaries.js';
import { journal, mergedTasks, planRepo, runCcwave, runState, spawnCcwave, type PlanRepo } from './plan-repo.js';

/**
 * `ccwave run` with the real Codex CLI against the fake Responses API: the session id Codex names
 * is journaled and what a restart resumes, the tokens journaled are exactly what the API sent, and
 * a session that died before naming itself is started anew with the note.
 */
let api: FakeResponsesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const commitTurn = (id: string): FakeResponsesScript => ({ turns: [[{ cmd: `echo ${id} > ${id}.txt && git add ${id}.txt && git commit -qm "Add ${id}.txt"` }, { text: 'Done.' }]] });

/** The environment of a run whose Codex is the fake's; the runner's own Codex and OpenAI variables left out. */
function envFor(repo: PlanRepo, apiUrl: string): NodeJS.ProcessEnv {
  const env = codexEnv(codexHome(apiUrl));
  for (const key of Object.keys(process.env)) if (/^(CODEX_|OPENAI_)/.test(key) && !(key in env)) env[key] = undefined;
  return env;
}

function tokensSent(sent: readonly SentResponsesUsage[]) {
  return {
    input: sent.reduce((n, u) => n + u.input_tokens - u.cached_tokens, 0),
    output: sent.reduce((n, u) => n + u.output_tokens, 0),
    cacheCreation: 0,
    cacheRead: sent.reduce((n, u) => n + u.cached_tokens, 0),
  };
}

const eventsOf = <T extends JournalEvent['type']>(repo: PlanRepo, type: T, task: string) =>
  journal(repo).filter((e): e is Extract<JournalEvent, { type: T }> => e.type === type && 'task' in e && e.task === task);

describe.each(CODEX_BINARIES)('ccwave run with the real Codex CLI $version', (codex) => {
  it('runs a wave of Codex tasks: journals the ids they named and exactly the tokens the API sent', async () => {
    const ids = ['feature-001-a', 'feature-002-b'];
    const repo = planRepo([ids.map((id) => ({ id }))], { agent: { kind: 'codex', command: [codex.path] }, concurrency: 2 });
    api = await startFakeResponsesApi({ script: (body) => commitTurn(path.basename(workingDirectory(body) ?? '')) });
    const env = envFor(repo, api.url);
    const result = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(mergedTasks(repo).sort()).toEqual(ids);
    const state = runState(repo);
    for (const id of ids) {
      const [starting] = eventsOf(repo, 'agent-starting', id);
      expect(starting).toMatchObject({ v: 4, resume: false, agent: 'codex' });
      expect(starting).not.toHaveProperty('sessionId');
      const named = eventsOf(repo, 'agent-session', id);
      expect(named).toHaveLength(1);
      expect(state.tasks[id]).toMatchObject({ status: 'done', sessionId: named[0]!.sessionId, sessionIds: [named[0]!.sessionId] });
      const worktree = state.tasks[id]!.worktree!.path;
      const sent = api.usageSent.filter((u) => u.mainTurn && u.workingDirectory === worktree);
      expect(sent.every((u) => u.sessionId === named[0]!.sessionId)).toBe(true);
      expect(taskUsage(state, id)).toEqual({ tokens: tokensSent(sent), costUsd: 0, costUnknown: true });
      expect(eventsOf(repo, 'agent-usage', id).every((e) => e.sessionId === named[0]!.sessionId)).toBe(true);
    }
    // Codex reports no cost: its tasks show tokens and say the cost is unknown, never $0.00.
    expect(result.stdout).not.toContain('$0.00');
    expect(result.stdout).toMatch(/Usage: [\d.]+k? tokens, cost unknown/);
    expect(processesWithEnv('CODEX_HOME', env['CODEX_HOME']!)).toEqual([]);
  });

  it('hands a merge conflict back to the Codex session that made it: resumed with the conflict, it merges, resolves, commits, and both land', async () => {
    const ids = ['feature-001-left', 'feature-002-right'];
    const repo = planRepo([ids.map((id) => ({ id }))], { agent: { kind: 'codex', command: [codex.path] }, concurrency: 2, merge: { onConflict: 'agent' } });
    // Both write the same line of shared.txt; the one merged second is told to merge the integration tip, and keeps both.
    const script = (body: Record<string, unknown>): FakeResponsesScript => {
      const id = path.basename(workingDirectory(body) ?? '');
      const tip = /git merge ([0-9a-f]{40})/.exec(JSON.stringify(body))?.[1] ?? 'no-tip-in-the-message';
      return {
        turns: [
          [{ cmd: `echo "from ${id}" > shared.txt && git add shared.txt && git commit -qm "shared.txt from ${id}"` }, { text: 'Done.' }],
          [
            { cmd: `git merge ${tip}; printf 'from ${ids[0]}\\nfrom ${ids[1]}\\n' > shared.txt && git add shared.txt && git commit -qm "Merge the integration branch, keeping both"` },
            { text: 'Resolved.' },
          ],
        ],
      };
    };
    api = await startFakeResponsesApi({ script });
    const env = envFor(repo, api.url);
    const result = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(mergedTasks(repo).sort()).toEqual(ids);
    const handbacks = journal(repo).filter((e) => e.type === 'handback-started');
    expect(handbacks).toHaveLength(1);
    const back = (handbacks[0] as Extract<JournalEvent, { type: 'handback-started' }>).task;
    expect(handbacks[0]).toMatchObject({ paths: ['shared.txt'] });
    // The same Codex session was resumed with the conflict message: no second session was named.
    const named = eventsOf(repo, 'agent-session', back);
    expect(named).toHaveLength(1);
    expect(eventsOf(repo, 'agent-starting', back).map((e) => [e.resume, e.sessionId])).toEqual([
      [false, undefined],
      [true, named[0]!.sessionId],
    ]);
    const told = api.requests.filter((r) => r.body['prompt_cache_key'] === named[0]!.sessionId && JSON.stringify(r.body).includes('ccwave could not merge your branch'));
    expect(told.length).toBeGreaterThan(0);
    // The resolution holds both sides, on main.
    expect(repo.git('show', 'main:shared.txt').split('\n')).toEqual([`from ${ids[0]}`, `from ${ids[1]}`]);
    expect(repo.git('log', '--format=%s', 'main')).toContain('Merge the integration branch, keeping both');
    expect(processesWithEnv('CODEX_HOME', env['CODEX_HOME']!)).toEqual([]);
  });

  it('after ccwave is killed, the next run continues the session Codex named, in the same attempt', async () => {
    const id = 'feature-001-crash';
    const repo = planRepo([[{ id }]], { agent: { kind: 'codex', command: [codex.path] }, concurrency: 1 });
    api = await startFakeResponsesApi({
      script: {
        turns: [
          // The first run dies while the model thinks after the commit.
          [{ cmd: 'echo one > one.txt && git add one.txt && git commit -qm "Add one.txt"' }, { text: 'Never seen.', delayMs: 120_000 }],
          [{ cmd: 'echo two > two.txt && git add two.txt && git commit -qm "Add two.txt"' }, { text: 'Resumed.' }],
        ],
      },
    });
    const env = envFor(repo, api.url);
    const first = spawnCcwave(repo, ['run', '--no-tui'], env);
    await waitFor(() => eventsOf(repo, 'agent-session', id).length === 1 && api!.requests.length >= 3, 60_000, 'the session named and its commit made');
    await waitFor(() => api!.requests.some((r) => JSON.stringify(r.body).includes('Add one.txt')), 30_000, 'the commit reported');
    first.child.kill('SIGKILL');
    await first.exited;
    const named = eventsOf(repo, 'agent-session', id)[0]!.sessionId;
    const second = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    const starts = eventsOf(repo, 'agent-starting', id);
    expect(starts.map((e) => [e.attempt, e.resume, e.sessionId])).toEqual([
      [1, false, undefined],
      [1, true, named],
    ]);
    expect(eventsOf(repo, 'agent-session', id)).toHaveLength(1);
    expect(mergedTasks(repo)).toEqual([id]);
    expect(repo.git('log', '--format=%s', 'main').split('\n')).toEqual(expect.arrayContaining(['Add two.txt', 'Add one.txt']));
    expect(processesWithEnv('CODEX_HOME', env['CODEX_HOME']!)).toEqual([]);
  });

  it('a session that died before Codex named it is started anew, with the note, in the same attempt', async () => {
    const id = 'feature-001-unnamed';
    const repo = planRepo([[{ id }]], { concurrency: 1 });
    // The first launch never reaches Codex (it hangs until the run is killed); later ones do.
    const wrapper = path.join(repo.scripts, 'codex-once-hung.sh');
    writeFileSync(wrapper, `#!/bin/sh\nif [ ! -e "$0.started" ]; then : > "$0.started"; exec sleep 600; fi\nexec '${codex.path}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    writeFileSync(path.join(repo.dir, 'WAVES.md'), planWithCodex(repo, wrapper));
    repo.git('commit', '-qam', 'Codex through a wrapper');
    api = await startFakeResponsesApi({ script: commitTurn(id) });
    const env = envFor(repo, api.url);
    const first = spawnCcwave(repo, ['run', '--no-tui'], env);
    await waitFor(() => existsSync(`${wrapper}.started`), 60_000, 'the agent launched');
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(second.status, second.stdout + second.stderr).toBe(0);
    const starts = eventsOf(repo, 'agent-starting', id);
    expect(starts.map((e) => [e.attempt, e.resume, e.sessionId])).toEqual([
      [1, false, undefined],
      [1, false, undefined],
    ]);
    const main = api.requests.find((r) => Array.isArray(r.body['tools']) && r.body['tools'].length > 0);
    expect(JSON.stringify(main?.body)).toContain('your earlier session could not be resumed');
    expect(mergedTasks(repo)).toEqual([id]);
  });
});

/** The plan's WAVES.md with its agent replaced by `command` (a Codex). */
function planWithCodex(repo: PlanRepo, command: string): string {
  const plan = repo.git('show', 'HEAD:WAVES.md');
  return plan.replace(/^agent:[\s\S]*?^(?=\S)/m, `agent:\n  kind: codex\n  command:\n    - ${command}\n`);
}
