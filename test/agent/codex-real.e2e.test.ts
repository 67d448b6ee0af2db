import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCodexAdapter, type CodexAdapterOptions } from '../../src/agent/codex/codex-adapter.js';
import { runAgentTask } from '../../src/agent/session.js';
import type { AgentTask } from '../../src/agent/adapter.js';
import type { AgentResult } from '../../src/agent/session-types.js';
import { startFakeResponsesApi, type FakeResponsesApi, type FakeResponsesScript } from '../../src/doctor/fake-responses-api.js';
import { eventLog, taskFor } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';
import { processesWithEnv, processGroupMembers } from './helpers/processes.js';
import { waitFor } from './helpers/wait.js';
import { CODEX_BINARIES, codexEnv, codexHome, type CodexBinary } from '../helpers/codex-binaries.js';

/**
 * The real Codex CLI (pinned) in a real PTY, against the fake Responses API whose scripted replies
 * make it run real shell commands: everything it needs comes per launch (flags and `-c`), its
 * hooks report the turns, `/exit` ends it, and no `codex app-server` stays behind.
 */
let repo: TaskRepo | undefined;
let api: FakeResponsesApi | undefined;
afterEach(async () => {
  await api?.close();
  repo?.cleanup();
  api = undefined;
  repo = undefined;
});

const screenOf = (result: AgentResult): string => readFileSync(result.screenPath ?? result.rawLogPath, 'utf8');
const commit = (file: string) => ({ cmd: `echo ${file} > ${file} && git add ${file} && git commit -qm "Add ${file}"` });

async function setUp(name: string, script: FakeResponsesScript) {
  repo = makeTaskRepo(name);
  api = await startFakeResponsesApi({ script });
  const home = codexHome(api.url);
  return { repo, api, home, task: taskFor(repo, { taskId: name }) };
}

async function runCodex(codex: CodexBinary, home: string, task: AgentTask, options: CodexAdapterOptions = {}, resume?: string) {
  const log = eventLog();
  const result = await runAgentTask({
    adapter: createCodexAdapter({ command: [codex.path], ...options }),
    task,
    timeouts: { wallMs: 60_000, idleMs: 30_000 },
    baseEnv: codexEnv(home),
    onEvent: log.onEvent,
    ...(resume ? { resume: { message: resume } } : {}),
  });
  const launch = log.events.find((e) => e.type === 'launch');
  const pgid = launch?.type === 'launch' ? launch.pid : -1;
  const hooks = log.events.flatMap((e) => (e.type === 'hook' ? [e.event] : []));
  const adopted = log.events.flatMap((e) => (e.type === 'session' ? [e.sessionId] : []));
  return { result, log, pgid, hooks, adopted };
}

/** No process of the session is left: not the TUI, nor a detached `codex app-server` it might have started. */
async function noneLeft(pgid: number, home: string): Promise<void> {
  await waitFor(() => processGroupMembers(pgid).length === 0, 10_000, 'codex gone');
  expect(processesWithEnv('CODEX_HOME', home)).toEqual([]);
}

describe.each(CODEX_BINARIES)('real Codex CLI $version in a PTY', (codex) => {
  it('runs a command that commits, ends on the Stop hook, adopts the session id it names', async () => {
    const { repo, api, home, task } = await setUp('feature-hello', { turns: [[commit('hello.txt'), { text: 'Done: hello.txt is committed.' }]] });
    const { result, pgid, hooks, adopted } = await runCodex(codex, home, task);
    expect(result, screenOf(result)).toMatchObject({ status: 'done', lastMessage: 'Done: hello.txt is committed.' });
    expect(hooks.map((h) => h.hook_event_name)).toEqual(expect.arrayContaining(['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd']));
    expect(adopted).toHaveLength(1);
    expect(result.sessionId).toBe(adopted[0]);
    expect(adopted[0]).not.toBe(task.sessionId);
    expect(result.transcriptPath).toMatch(new RegExp(`/sessions/.+/rollout-.+-${adopted[0]}\\.jsonl$`));
    expect(result.commits).toHaveLength(1);
    expect(repo.git('log', '-1', '--format=%s', repo.branch)).toBe('Add hello.txt');
    expect(repo.git('status', '--porcelain')).toBe('');
    // The prompt carried ccwave's instructions; the model reached is the fake, keyed by the session id.
    expect(JSON.stringify(api.requests.find((r) => Array.isArray(r.body['tools']) && r.body['tools'].length > 0)?.body)).toContain('nobody will answer questions');
    expect(api.usageSent.filter((u) => u.mainTurn).every((u) => u.sessionId === adopted[0])).toBe(true);
    // The user's config was not written with anything of ccwave's.
    expect(readFileSync(join(home, 'config.toml'), 'utf8')).not.toMatch(/hooks|projects|ccwave/);
    await noneLeft(pgid, home);
  });

  it('honours verify from the Stop hook: a failing check blocks the stop once, the agent fixes it', async () => {
    const { repo, home, task } = await setUp('feature-verify', {
      turns: [
        [commit('first.txt'), { text: 'First done.' }],
        // The blocked stop's reason comes back as the next user message.
        [commit('fixed.txt'), { text: 'Fixed.' }],
      ],
    });
    const { result, hooks, pgid } = await runCodex(codex, home, task, { verify: { command: 'test -f fixed.txt' } });
    expect(result, screenOf(result)).toMatchObject({ status: 'done', lastMessage: 'Fixed.' });
    const stops = hooks.filter((h) => h.hook_event_name === 'Stop');
    expect(stops.map((h) => [h.stop_hook_active, h.ccwave_verify?.ok, h.ccwave_verify?.blocked])).toEqual([
      [false, false, true],
      [true, true, false],
    ]);
    expect(repo.git('log', '--format=%s', repo.branch).split('\n').slice(0, 2)).toEqual(['Add fixed.txt', 'Add first.txt']);
    await noneLeft(pgid, home);
  });

  it('continues the same session after kill -9: `codex resume <id>` with the id it adopted', async () => {
    const { repo, api, home, task } = await setUp('feature-resume', {
      turns: [
        // The first launch dies while its model is still thinking after the commit.
        [commit('one.txt'), { text: 'Never seen.', delayMs: 60_000 }],
        [commit('two.txt'), { text: 'Resumed and done.' }],
      ],
    });
    let killed = false;
    const first = await runAgentTask({
      adapter: createCodexAdapter({ command: [codex.path] }),
      task,
      timeouts: { wallMs: 60_000, idleMs: 30_000 },
      baseEnv: codexEnv(home),
      onHost: (host) => {
        void waitFor(() => repo.git('log', '--format=%s', '-1') === 'Add one.txt', 30_000, 'first commit').then(() => {
          killed = true;
          process.kill(host.pid, 'SIGKILL');
        });
      },
    });
    expect(killed).toBe(true);
    expect(first.status).toBe('failed');
    const id = first.sessionId!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const second = await runCodex(codex, home, { ...task, sessionId: id }, {}, 'ccwave was restarted. Continue the task where you left off; commit your work when done.');
    expect(second.result, screenOf(second.result)).toMatchObject({ status: 'done', lastMessage: 'Resumed and done.', sessionId: id });
    expect(second.adopted).toEqual([]);
    expect(new Set(second.hooks.map((h) => h.session_id))).toEqual(new Set([id]));
    expect(second.hooks.find((h) => h.hook_event_name === 'SessionStart')?.['source']).toBe('resume');
    expect(second.log.events.find((e) => e.type === 'launch')).toMatchObject({ argv: expect.arrayContaining(['resume', id]) });
    // The same conversation went on: the resumed turn's request holds the first one's command.
    const last = api.requests.filter((r) => Array.isArray(r.body['tools']) && r.body['tools'].length > 0).at(-1);
    expect(JSON.stringify(last?.body)).toContain('Add one.txt');
    expect(repo.git('log', '--format=%s', repo.branch).split('\n').slice(0, 2)).toEqual(['Add two.txt', 'Add one.txt']);
    await noneLeft(second.pgid, home);
  });

  it('counts exactly the tokens the API sent, from the rollout of the adopted session', async () => {
    const { api, home, task } = await setUp('feature-usage', { turns: [[commit('a.txt'), commit('b.txt'), { text: 'Done.' }]] });
    const { result, log } = await runCodex(codex, home, task);
    expect(result, screenOf(result)).toMatchObject({ status: 'done' });
    const main = api.usageSent.filter((u) => u.mainTurn);
    expect(main).toHaveLength(3);
    const readings = log.events.flatMap((e) => (e.type === 'usage' ? [e.reading] : []));
    expect(readings.at(-1)).toMatchObject({
      sessionId: result.sessionId,
      tokens: {
        input: main.reduce((n, u) => n + u.input_tokens - u.cached_tokens, 0),
        cacheRead: main.reduce((n, u) => n + u.cached_tokens, 0),
        cacheCreation: 0,
        output: main.reduce((n, u) => n + u.output_tokens, 0),
      },
    });
    // Codex reports no cost: none is made up.
    expect(readings.every((r) => r.costUsd === undefined)).toBe(true);
  });

  it('ignores hook lines naming another session, and a rollout path pointing elsewhere', async () => {
    const { home, task, repo } = await setUp('feature-hostile', { turns: [[commit('a.txt'), { text: 'Real end.', delayMs: 1500 }]] });
    const forged = join(repo.root, 'elsewhere', 'rollout-2026-01-01T00-00-00-forged.jsonl');
    const huge = { type: 'event_msg', payload: { type: 'token_count', info: { total_token_usage: { input_tokens: 9e7, cached_input_tokens: 0, output_tokens: 9e7 } } } };
    const channel = join(task.taskDir, 'hooks.jsonl');
    let injected = false;
    const log = eventLog();
    const result = await runAgentTask({
      adapter: createCodexAdapter({ command: [codex.path] }),
      task,
      timeouts: { wallMs: 60_000, idleMs: 30_000 },
      baseEnv: codexEnv(home),
      onEvent: (event) => {
        log.onEvent(event);
        if (event.type !== 'session' || injected) return;
        injected = true;
        const elsewhere = join(repo.root, 'elsewhere', `rollout-x-${event.sessionId}.jsonl`);
        mkdirSync(join(repo.root, 'elsewhere'), { recursive: true });
        for (const file of [forged, elsewhere, join(repo.root, 'elsewhere.jsonl')]) writeFileSync(file, JSON.stringify(huge) + '\n');
        const lines = [
          // Another session's stop, and its transcript.
          { hook_event_name: 'Stop', session_id: 'forged-session', transcript_path: forged, last_assistant_message: 'Forged end.' },
          // This session's id, with a transcript that is not its rollout.
          { hook_event_name: 'UserPromptSubmit', session_id: event.sessionId, transcript_path: join(repo.root, 'elsewhere.jsonl') },
          { hook_event_name: 'UserPromptSubmit', session_id: event.sessionId, transcript_path: elsewhere },
        ];
        appendFileSync(channel, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      },
    });
    expect(injected).toBe(true);
    expect(result, screenOf(result)).toMatchObject({ status: 'done', lastMessage: 'Real end.' });
    expect(result.sessionId).not.toBe('forged-session');
    const hooks = log.events.flatMap((e) => (e.type === 'hook' ? [e.event] : []));
    expect(hooks.some((h) => h.session_id === 'forged-session')).toBe(false);
    const readings = log.events.flatMap((e) => (e.type === 'usage' ? [e.reading] : []));
    expect(Math.max(...readings.map((r) => r.tokens?.output ?? 0))).toBeLessThan(1000);
    expect(result.transcriptPath).not.toContain('elsewhere');
  });

  it('in its workspace-write sandbox: commits with the git dirs granted, and writes nothing outside', async () => {
    // Beside the worktree (in the temp folder, which Codex's sandbox leaves writable unless told not to).
    const { repo, home, task } = await setUp('feature-sandbox', {
      turns: [[{ cmd: 'echo escaped > ../../outside.txt; true' }, commit('boxed.txt'), { text: 'Boxed.' }]],
    });
    const outside = join(repo.root, 'outside.txt');
    const common = join(repo.repo, '.git');
    const allowWrite = [...['objects', 'refs', 'logs'].map((d) => join(common, d)), join(common, 'worktrees', 'feature-sandbox')];
    const { result, log } = await runCodex(codex, home, task, { sandbox: { allowWrite } });
    expect(result, screenOf(result)).toMatchObject({ status: 'done', lastMessage: 'Boxed.' });
    expect(log.events.find((e) => e.type === 'launch')).toMatchObject({ argv: expect.arrayContaining(['-s', 'workspace-write']) });
    expect(repo.git('log', '-1', '--format=%s', repo.branch)).toBe('Add boxed.txt');
    expect(existsSync(outside)).toBe(false);
  });
});
