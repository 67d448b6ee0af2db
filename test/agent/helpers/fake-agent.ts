import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AgentTask } from '../../../src/agent/adapter.js';
import { createClaudeAdapter, type ClaudeAdapterOptions } from '../../../src/agent/claude/claude-adapter.js';
import { runAgentTask } from '../../../src/agent/session.js';
import type { AgentEvent, AgentResult, RunAgentTaskOptions } from '../../../src/agent/session-types.js';
import type { TaskRepo } from './git-repo.js';

export const FAKE_AGENT = resolve(import.meta.dirname, '../../../fixtures/fake-agent/fake-agent.mjs');

/** Writes the fake agent's script and returns a Claude adapter that launches the fake agent. */
export function fakeAgentAdapter(repo: TaskRepo, script: unknown, options: ClaudeAdapterOptions = {}) {
  const scriptPath = join(repo.root, 'fake-script.json');
  writeFileSync(scriptPath, JSON.stringify(script));
  const stateDir = join(repo.root, 'fake-state');
  mkdirSync(stateDir, { recursive: true });
  return createClaudeAdapter({
    command: [process.execPath, FAKE_AGENT],
    ...options,
    env: { FAKE_AGENT_SCRIPT: scriptPath, FAKE_AGENT_STATE_DIR: stateDir, ...options.env },
  });
}

export function taskFor(repo: TaskRepo, overrides: Partial<AgentTask> = {}): AgentTask {
  return {
    taskId: 'task-1',
    runId: 'run-1',
    worktree: repo.worktree,
    branch: repo.branch,
    prompt: '# Feature: test\n\nDo the thing.',
    acceptanceCriteria: ['The thing is done'],
    taskDir: repo.taskDir,
    sessionId: randomUUID(),
    ...overrides,
  };
}

/** Collects a session's events for assertions. */
export function eventLog(): { events: AgentEvent[]; onEvent: (e: AgentEvent) => void; actions(): string[] } {
  const events: AgentEvent[] = [];
  return {
    events,
    onEvent: (e) => events.push(e),
    actions: () => events.flatMap((e) => (e.type === 'action' ? [`${e.action}${e.detail ? `: ${e.detail}` : ''}`] : [])),
  };
}

export interface FakeRun {
  result: AgentResult;
  log: ReturnType<typeof eventLog>;
  /** The agent's process group id (its pid): nothing of it may be left afterwards. */
  pgid: number;
}

/** Runs one task with the fake agent and a script, with short timeouts suited to tests. */
export async function runFake(repo: TaskRepo, script: unknown, options: Partial<RunAgentTaskOptions> & { claude?: ClaudeAdapterOptions } = {}): Promise<FakeRun> {
  const log = eventLog();
  const { claude, ...rest } = options;
  const result = await runAgentTask({
    adapter: fakeAgentAdapter(repo, script, claude),
    task: taskFor(repo),
    timeouts: { wallMs: 60_000, idleMs: 20_000 },
    ...rest,
    policy: { apiRetryBaseMs: 200, ...rest.policy },
    onEvent: (e) => {
      log.onEvent(e);
      rest.onEvent?.(e);
    },
  });
  const launch = log.events.find((e) => e.type === 'launch');
  return { result, log, pgid: launch?.type === 'launch' ? launch.pid : -1 };
}
