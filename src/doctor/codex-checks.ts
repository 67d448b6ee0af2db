import { execFile } from 'node:child_process';
import { createCodexAdapter } from '../agent/codex/codex-adapter.js';
import { codexScreenRules0171 } from '../agent/codex/screen-rules-0.171.js';
import type { AgentTask } from '../agent/adapter.js';
import type { ScreenClass, ScreenRules } from '../agent/screen-class.js';
import { runAgentTask } from '../agent/session.js';
import type { AgentEvent, AgentResult } from '../agent/session-types.js';
import type { CheckResult } from './check.js';
import { newTask, screenLines, survivors, CHECK_IDLE_MS, CHECK_WALL_MS } from './claude-session.js';
import { makeCodexSandbox, type CodexSandbox } from './codex-sandbox.js';
import { startFakeResponsesApi, workingDirectory, type FakeResponsesApi, type FakeResponsesScript, type FakeResponsesStep } from './fake-responses-api.js';

/**
 * The Codex checks of `ccwave doctor`, for a plan with Codex tasks: the user's Codex CLI, run
 * through ccwave's own agent layer (Codex adapter, PTY host, hooks, the screen rules of its version
 * family) against the fake Responses API, in throwaway repositories and a throwaway CODEX_HOME.
 * Two sessions: one that writes and commits (hooks, screens, usage, `/exit`), and its resume.
 */
export interface CodexChecksOptions {
  /** The program and any leading arguments, as the plan names it. */
  command: readonly string[];
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** The screen rules under test; the real table unless a test breaks one. */
  screenRules?: ScreenRules;
  /** Where the scratch folder goes (XDG_CACHE_HOME); the process's own by default. */
  env?: NodeJS.ProcessEnv;
}

export interface CodexChecks {
  version: string | undefined;
  results: CheckResult[];
}

const VERSION_TIMEOUT_MS = 15_000;
/** The model "thinks" this long before its answer, so the busy screen is on screen to be classified. */
const THINKING_MS = 1_500;
const RESUME_MESSAGE = 'Resumed by ccwave doctor: write resumed.txt and commit it.';

export const CODEX_CHECKS = {
  version: { id: 'codex.version', title: 'codex --version answers, a version of the screen rules’ family' },
  toolCommit: { id: 'codex.tool-commit', title: 'a scripted shell command writes a file and commits it' },
  hooks: { id: 'codex.hooks', title: 'hooks arrive (SessionStart, Stop, SessionEnd)' },
  screens: { id: 'codex.screens', title: 'the screens are classified by the rules table (busy, idle)' },
  usage: { id: 'codex.usage', title: 'tokens arrive from the rollout (Codex reports no cost)' },
  exit: { id: 'codex.exit', title: '/exit ends the session; no process is left' },
  resume: { id: 'codex.resume', title: '`codex resume <id>` continues the session' },
} as const;

type CheckName = keyof typeof CODEX_CHECKS;
type Outcome = Omit<CheckResult, 'id' | 'title'>;

const commitFile = (file: string, message: string): FakeResponsesStep => ({ cmd: `echo '${file} by ccwave doctor' > ${file} && git add ${file} && git commit -qm '${message}'` });

/** The first turn writes and commits; the second is the one `codex resume` asks for. */
const SCRIPT: FakeResponsesScript = {
  turns: [
    [commitFile('hello.txt', 'Add hello.txt'), { text: 'Done: hello.txt is committed.', delayMs: THINKING_MS }],
    [commitFile('resumed.txt', 'Add resumed.txt'), { text: 'Done: resumed.txt is committed.' }],
  ],
};

/** One session: what ccwave reported on the way, and every screen kind the rules gave. */
interface CodexSession {
  result: AgentResult;
  events: AgentEvent[];
  hooks: string[];
  pid: number | undefined;
  screen: string[];
  kinds: Set<ScreenClass['kind']>;
  /** The last screen no rule matched, when the last classification was `unknown`. */
  unknownAtEnd: string[] | undefined;
}

export async function runCodexChecks(options: CodexChecksOptions): Promise<CodexChecks> {
  const results: CheckResult[] = [];
  const record = (name: CheckName, outcome: Outcome, startedAt: number): void => {
    const result = { ...CODEX_CHECKS[name], ...outcome };
    results.push(result);
    options.log?.(`${result.id}: ${result.status} (${((Date.now() - startedAt) / 1000).toFixed(1)}s)${result.detail ? ` ${result.detail}` : ''}`);
  };
  const rules = options.screenRules ?? codexScreenRules0171;
  let started = Date.now();
  const version = await codexVersion(options.command);
  if (!version.ok) {
    record('version', { status: 'failed', detail: version.detail }, started);
    for (const name of Object.keys(CODEX_CHECKS).slice(1) as CheckName[]) record(name, { status: 'failed', detail: 'not run: codex --version failed' }, Date.now());
    return { version: undefined, results };
  }
  record('version', familyOutcome(version.version, rules.family), started);

  const scripts = new Map<string, FakeResponsesScript>();
  const api = await startFakeResponsesApi({ script: (body) => scripts.get(workingDirectory(body) ?? '') ?? { turns: [] } });
  const sandbox = makeCodexSandbox(api.url, options.env);
  try {
    started = Date.now();
    const names = ['toolCommit', 'hooks', 'screens', 'usage', 'exit'] as const;
    const task = newTask(sandbox, 'tool-commit', 'Write hello.txt and commit it.');
    scripts.set(task.worktree, SCRIPT);
    const first = options.signal?.aborted ? undefined : await session(sandbox, rules, options, task).catch((error: unknown) => String(error));
    if (typeof first !== 'object') {
      const detail = first === undefined ? 'not run: doctor was interrupted' : `doctor could not run the check: ${first}`;
      for (const name of [...names, 'resume'] as const) record(name, { status: 'failed', detail }, started);
      return { version: version.version, results };
    }
    const outcomes = await firstSessionOutcomes(first, api, rules);
    for (const name of names) record(name, outcomes[name], started);

    started = Date.now();
    record('resume', await resumeOutcome(first, sandbox, rules, options, api, task), started);
  } finally {
    await api.close();
    sandbox.dispose();
  }
  return { version: version.version, results };
}

/** The rules table names its family ("codex 0.171.x"): another version may draw other screens. */
function familyOutcome(version: string, family: string): Outcome {
  const prefix = /(\d+\.\d+)\.x/.exec(family)?.[1];
  if (prefix === undefined || version.startsWith(`${prefix}.`)) return { status: 'ok' };
  return { status: 'changed', detail: `ccwave's screen rules were written for ${family}, this is ${version}: the checks below tell whether its screens still match` };
}

async function session(sandbox: CodexSandbox, rules: ScreenRules, options: CodexChecksOptions, task: AgentTask, resume?: string): Promise<CodexSession> {
  const kinds = new Set<ScreenClass['kind']>();
  let last: { kind: ScreenClass['kind']; lines: readonly string[] } | undefined;
  // The table as the run uses it, watched: which screens it recognised, and the last it did not.
  const watched: ScreenRules = {
    ...rules,
    classify: (lines, now) => {
      const screen = rules.classify(lines, now);
      if (lines.some((l) => l.trim() !== '')) {
        kinds.add(screen.kind);
        last = { kind: screen.kind, lines };
      }
      return screen;
    },
  };
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const events: AgentEvent[] = [];
  try {
    const result = await runAgentTask({
      adapter: { ...createCodexAdapter({ command: options.command }), screenRules: watched },
      task,
      timeouts: { wallMs: CHECK_WALL_MS, idleMs: CHECK_IDLE_MS },
      baseEnv: sandbox.env,
      signal: abort.signal,
      ...(resume ? { resume: { message: resume } } : {}),
      onEvent: (event) => events.push(event),
    });
    const launch = events.find((e) => e.type === 'launch');
    const ended = last as { kind: ScreenClass['kind']; lines: readonly string[] } | undefined;
    return {
      result,
      events,
      hooks: events.flatMap((e) => (e.type === 'hook' ? [e.event.hook_event_name] : [])),
      pid: launch?.type === 'launch' ? launch.pid : undefined,
      screen: await screenLines(result.screenPath),
      kinds,
      unknownAtEnd: ended?.kind === 'unknown' ? ended.lines.map((l) => l.trimEnd()) : undefined,
    };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function failed(s: CodexSession, expected: string): Outcome {
  return { status: 'failed', detail: `${expected}; the task ended ${s.result.status}: ${s.result.reason}`, screen: s.screen };
}

async function firstSessionOutcomes(s: CodexSession, api: FakeResponsesApi, rules: ScreenRules): Promise<Record<Exclude<CheckName, 'version' | 'resume'>, Outcome>> {
  const missing = ['SessionStart', 'Stop', 'SessionEnd'].filter((h) => !s.hooks.includes(h));
  const left = s.pid === undefined ? [] : await survivors(s.pid);
  return {
    toolCommit:
      s.result.status === 'done' && s.result.commits.length === 1
        ? { status: 'ok' }
        : failed(s, 'expected the exec_command call to write hello.txt and commit it, and the task done with that one commit'),
    hooks:
      missing.length === 0 ? { status: 'ok' } : failed(s, `expected the hooks SessionStart, Stop and SessionEnd; ${missing.join(' and ')} never came (hooks seen: ${s.hooks.join(', ') || 'none'})`),
    screens: screensOutcome(s, rules),
    usage: usageOutcome(s, api),
    exit: !s.hooks.includes('SessionEnd')
      ? failed(s, 'expected `/exit` at the idle prompt to end the session (its SessionEnd hook); it never came')
      : left.length > 0
        ? { status: 'failed', detail: `processes of the agent still run after /exit: ${left.join(', ')}`, screen: s.screen }
        : { status: 'ok' },
  };
}

/** Unknown is what a run cannot act on: a screen no rule of the family's table matches is a failure that shows it. */
function screensOutcome(s: CodexSession, rules: ScreenRules): Outcome {
  if (s.unknownAtEnd) {
    return {
      status: 'failed',
      detail: `the last screen matched no rule of the \`${rules.family}\` table: this Codex draws a screen ccwave does not know; the task ended ${s.result.status}: ${s.result.reason}`,
      screen: s.unknownAtEnd,
    };
  }
  const unseen = (['busy', 'idle'] as const).filter((kind) => !s.kinds.has(kind));
  if (unseen.length > 0) {
    return failed(s, `expected the \`${rules.family}\` table to recognise the ${unseen.join(' and the ')} screen; it never did (recognised: ${[...s.kinds].join(', ') || 'nothing'})`);
  }
  return { status: 'ok' };
}

/** The session's last reading: its tokens exactly what the API sent its main turns, and no cost made up. */
function usageOutcome(s: CodexSession, api: FakeResponsesApi): Outcome {
  const last = s.events.flatMap((e) => (e.type === 'usage' ? [e.reading] : [])).at(-1);
  const sent = api.usageSent.filter((u) => u.mainTurn && u.sessionId !== undefined && u.sessionId === s.result.sessionId);
  const expected = {
    input: sent.reduce((n, u) => n + u.input_tokens - u.cached_tokens, 0),
    output: sent.reduce((n, u) => n + u.output_tokens, 0),
    cacheCreation: 0,
    cacheRead: sent.reduce((n, u) => n + u.cached_tokens, 0),
  };
  if (!last?.tokens) return failed(s, 'expected token counts from the rollout the hooks name; none came');
  if (JSON.stringify(last.tokens) !== JSON.stringify(expected)) {
    return failed(s, `expected the rollout's tokens to be what the API sent (${JSON.stringify(expected)}); they were ${JSON.stringify(last.tokens)}`);
  }
  if (last.costUsd !== undefined) return failed(s, `expected no cost (Codex reports none); ccwave read $${last.costUsd}`);
  return { status: 'ok' };
}

async function resumeOutcome(first: CodexSession, sandbox: CodexSandbox, rules: ScreenRules, options: CodexChecksOptions, api: FakeResponsesApi, task: AgentTask): Promise<Outcome> {
  const id = first.result.sessionId;
  if (first.result.status !== 'done' || id === undefined) return { status: 'failed', detail: 'not run: the first session did not end done with a session id' };
  if (options.signal?.aborted) return { status: 'failed', detail: 'not run: doctor was interrupted' };
  const second = await session(sandbox, rules, options, { ...task, sessionId: id }, RESUME_MESSAGE);
  const resumed = second.events.some((e) => e.type === 'launch' && e.resumed && e.argv.includes(id));
  // The resumed conversation must hold the first turn: a fresh session would not.
  const continued = api.requests.some((r) => JSON.stringify(r.body).includes(RESUME_MESSAGE) && JSON.stringify(r.body).includes('Add hello.txt'));
  if (second.result.status === 'done' && resumed && continued && second.result.commits.length === 1 && second.result.sessionId === id) return { status: 'ok' };
  if (second.result.status === 'done' && !continued) return failed(second, 'expected `codex resume` to continue the first conversation; the model was sent a conversation without the first turn');
  return failed(second, `expected \`codex resume ${id}\` to continue the session and commit resumed.txt`);
}

/** `codex --version` prints e.g. "codex-cli 0.171.0". */
function codexVersion(command: readonly string[]): Promise<{ ok: true; version: string } | { ok: false; detail: string }> {
  const [program = 'codex', ...args] = command;
  const shown = command.join(' ');
  return new Promise((resolve) => {
    execFile(program, [...args, '--version'], { timeout: VERSION_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      const version = /^codex-cli (\d+\.\d+\.\d+\S*)/m.exec(stdout)?.[1];
      if (!error && version) resolve({ ok: true, version });
      else
        resolve({ ok: false, detail: `\`${shown} --version\` ${error ? `failed: ${(stderr || error.message).trim()}` : `did not answer like Codex CLI ("codex-cli <version>"): ${stdout.trim()}`}` });
    });
  });
}
