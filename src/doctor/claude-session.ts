import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { AgentTask } from '../agent/adapter.js';
import { createClaudeAdapter } from '../agent/claude/claude-adapter.js';
import type { ScreenRules } from '../agent/screen-class.js';
import { runAgentTask } from '../agent/session.js';
import type { AgentEvent, AgentPolicy, AgentResult } from '../agent/session-types.js';
import { groupMembers } from '../process/process-group.js';
import type { ClaudeSandbox } from './claude-sandbox.js';

/** Every check session gets this long, active time; a usage-limit pause does not count. */
export const CHECK_WALL_MS = 90_000;
/** No output and no hook for this long: the check is stuck (a dialog nobody recognised). */
export const CHECK_IDLE_MS = 25_000;
/** Claude's own retries of a refused request: one, so a limit check does not take minutes. */
const CLAUDE_MAX_RETRIES = '1';
/** After the stop, the process group gets this long to be gone. */
const SURVIVOR_GRACE_MS = 3_000;
const SURVIVOR_POLL_MS = 100;

/** One check session: the task ccwave ran and everything it reported on the way. */
export interface CheckSession {
  task: AgentTask;
  result: AgentResult;
  events: AgentEvent[];
  /** The `action` events as `action: detail`. */
  actions: string[];
  /** The hook events' names, in arrival order. */
  hooks: string[];
  /** The agent's process group (its pid), or undefined when it never started. */
  pid: number | undefined;
  /** The last screen ccwave saw, as lines without trailing blanks. */
  screen: string[];
}

export interface SessionRequest {
  sandbox: ClaudeSandbox;
  claudePath: string;
  screenRules: ScreenRules | undefined;
  /** An existing task to continue (`--resume`), else a new repository named `name`. */
  task: AgentTask;
  /** Answer the trust dialog on screen; otherwise the folder is pre-trusted, as ccwave can by policy. */
  trustOnScreen: boolean;
  policy?: Partial<AgentPolicy>;
  /** Set (or, with undefined, removed) on top of the sandbox's environment. */
  env?: NodeJS.ProcessEnv;
  resume?: { message: string };
  signal: AbortSignal;
  onEvent?: (event: AgentEvent, events: readonly AgentEvent[]) => void;
}

/** A new throwaway repository of the sandbox, and the task that writes in it. */
export function newTask(sandbox: Pick<ClaudeSandbox, 'newRepo'>, name: string, prompt: string): AgentTask {
  const { worktree, taskDir } = sandbox.newRepo(name);
  return {
    taskId: name,
    runId: 'doctor',
    worktree,
    branch: 'main',
    prompt: `# Feature: ${name}\n\n${prompt}`,
    acceptanceCriteria: ['The file is written and committed'],
    taskDir,
    sessionId: randomUUID(),
  };
}

/** Runs one task with the user's Claude exactly as `ccwave run` does: adapter, PTY host, hooks, rules. */
export async function runCheckSession(request: SessionRequest): Promise<CheckSession> {
  const { sandbox, task } = request;
  const adapter = createClaudeAdapter({
    command: [request.claudePath],
    permissionMode: 'acceptEdits',
    // The sandbox's settings: doctor never runs the user's own status line.
    userSettingsPath: join(dirname(sandbox.claudeConfigPath), 'settings.json'),
    ...(request.trustOnScreen ? {} : { preTrust: { claudeConfigPath: sandbox.claudeConfigPath } }),
  });
  const events: AgentEvent[] = [];
  const result = await runAgentTask({
    adapter: request.screenRules ? { ...adapter, screenRules: request.screenRules } : adapter,
    task,
    timeouts: { wallMs: CHECK_WALL_MS, idleMs: CHECK_IDLE_MS },
    policy: request.policy ?? {},
    ...(request.resume ? { resume: request.resume } : {}),
    baseEnv: { ...sandbox.env, CLAUDE_CODE_MAX_RETRIES: CLAUDE_MAX_RETRIES, ...request.env },
    signal: request.signal,
    onEvent: (event) => {
      events.push(event);
      request.onEvent?.(event, events);
    },
  });
  const launch = events.find((e) => e.type === 'launch');
  return {
    task,
    result,
    events,
    actions: events.flatMap((e) => (e.type === 'action' ? [`${e.action}${e.detail ? `: ${e.detail}` : ''}`] : [])),
    hooks: events.flatMap((e) => (e.type === 'hook' ? [e.event.hook_event_name] : [])),
    pid: launch?.type === 'launch' ? launch.pid : undefined,
    screen: await screenLines(result.screenPath),
  };
}

export async function screenLines(screenPath: string | undefined): Promise<string[]> {
  if (!screenPath) return [];
  const text = await readFile(screenPath, 'utf8').catch(() => '');
  const lines = text.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();
  return lines;
}

/** The agent's processes still running once it should be gone, after a short grace. */
export async function survivors(pgid: number): Promise<string[]> {
  const deadline = Date.now() + SURVIVOR_GRACE_MS;
  for (;;) {
    const members = groupMembers(pgid) ?? [];
    if (members.length === 0 || Date.now() > deadline) return members.map((m) => String(m.pid));
    await new Promise((resolve) => setTimeout(resolve, SURVIVOR_POLL_MS));
  }
}
