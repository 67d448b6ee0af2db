import { execFile } from 'node:child_process';
import { claudeScreenRules21 } from '../agent/claude/screen-rules-2.1.js';
import type { ScreenRules } from '../agent/screen-class.js';
import { MESSAGES } from '../agent/turn-policy.js';
import type { CheckResult } from './check.js';
import { DOCTOR_OAUTH_TOKEN, makeClaudeSandbox, type ClaudeSandbox } from './claude-sandbox.js';
import { newTask, runCheckSession, survivors, type CheckSession } from './claude-session.js';
import { startFakeMessagesApi, workingDirectory, type FakeMessagesApi, type FakeScript, type FakeStep, type RequestBody } from './fake-messages-api.js';
import { isRecord } from '../is-record.js';

/**
 * The Claude checks of `ccwave doctor`: the user's Claude, run through ccwave's own agent layer
 * (Claude adapter, PTY host, hooks, screen rules) against the fake Messages API, in throwaway
 * repositories and a throwaway HOME. One check after another, each bounded in time.
 *
 * ok / changed / failed: `failed` means a run would go wrong (the task did not end done, a hook
 * ccwave depends on never came, a dialog was not answered, a process survived). `changed` means the
 * thing a run needs happened, but not the way the rules table expects (no trust dialog in a folder
 * Claude never saw, a command that ran without the permission prompt the check provokes, a usage
 * limit recognised and waited out whose reset time the rules could not read): runs work today,
 * and the rules may need a look.
 */
export interface ClaudeChecksOptions {
  claudePath: string;
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** The screen rules under test; the real table unless a test breaks one. */
  screenRules?: ScreenRules;
}

export interface ClaudeChecks {
  version: string | undefined;
  results: CheckResult[];
}

const VERSION_TIMEOUT_MS = 15_000;
/** How long the model "thinks" in the stop check: far longer than the check waits. */
const STOP_MODEL_DELAY_MS = 120_000;
/** The limit resets this far ahead, as the API's headers say. */
const LIMIT_RESET_AHEAD_S = 3600;
/** How long the check waits at the limit instead (the reset time is read, not waited for). */
const LIMIT_WAIT_MS = 1_000;
/** Claude shows the reset to the minute ("8:40am"). */
const RESET_TOLERANCE_MS = 90_000;
const RESUME_MESSAGE = 'Resumed by ccwave doctor: write resumed.txt and commit it.';

export const CLAUDE_CHECKS = {
  version: { id: 'claude.version', title: 'claude --version answers' },
  trust: { id: 'claude.trust-dialog', title: 'starts up; the folder-trust dialog is recognised and answered' },
  hooks: { id: 'claude.hooks', title: 'hooks arrive (SessionStart, Stop)' },
  toolCommit: { id: 'claude.tool-commit', title: 'a scripted tool call writes a file and commits it' },
  statusLine: { id: 'claude.status-line', title: 'usage arrives: tokens from the transcript, cost from the status line' },
  resume: { id: 'claude.resume', title: '--resume continues the session' },
  permission: { id: 'claude.permission-prompt', title: 'a permission prompt is recognised and denied by policy; the agent is told' },
  usageLimit: { id: 'claude.usage-limit', title: 'the usage-limit screen is recognised, waited out, and the task recovers' },
  stop: { id: 'claude.stop', title: 'stopping ends the agent; no process is left' },
} as const;

type CheckName = keyof typeof CLAUDE_CHECKS;

const commitFile = (file: string, message: string): FakeStep[] => [
  { tool: 'Write', input: { file_path: file, content: `${file} by ccwave doctor\n` } },
  { tool: 'Bash', input: { command: `git add ${file} && git commit -m "${message}"`, description: 'Commit' } },
];

export async function runClaudeChecks(options: ClaudeChecksOptions): Promise<ClaudeChecks> {
  const results: CheckResult[] = [];
  const record = (name: CheckName, outcome: Omit<CheckResult, 'id' | 'title'>, startedAt: number): void => {
    const result = { ...CLAUDE_CHECKS[name], ...outcome };
    results.push(result);
    options.log?.(`${result.id}: ${result.status} (${((Date.now() - startedAt) / 1000).toFixed(1)}s)${result.detail ? ` ${result.detail}` : ''}`);
  };

  let started = Date.now();
  const version = await claudeVersion(options.claudePath);
  if (!version.ok) {
    record('version', { status: 'failed', detail: version.detail }, started);
    for (const name of Object.keys(CLAUDE_CHECKS).slice(1) as CheckName[]) {
      record(name, { status: 'failed', detail: 'not run: claude --version failed' }, Date.now());
    }
    return { version: undefined, results };
  }
  record('version', { status: 'ok' }, started);

  // Each session gets the script of its own repository.
  const scripts = new Map<string, (body: RequestBody) => FakeScript>();
  const api = await startFakeMessagesApi({
    script: (body) => scripts.get(workingDirectory(body) ?? '')?.(body) ?? { turns: [] },
  });
  const sandbox = makeClaudeSandbox(api.url);
  const ctx: Context = { options, api, sandbox, scripts };
  try {
    const steps: [CheckName[], (ctx: Context) => Promise<Partial<Record<CheckName, Outcome>>>][] = [
      [['trust'], checkTrust],
      // One session shows all three: the hooks and the usage of a turn that writes and commits.
      [['hooks', 'toolCommit', 'statusLine'], checkToolCommitAndHooks],
      [['resume'], checkResume],
      [['permission'], checkPermission],
      [['usageLimit'], checkUsageLimit],
      [['stop'], checkStop],
    ];
    for (const [names, run] of steps) {
      started = Date.now();
      if (options.signal?.aborted) {
        for (const name of names) record(name, { status: 'failed', detail: 'not run: doctor was interrupted' }, started);
        continue;
      }
      const outcomes = await run(ctx).catch((error: unknown): Partial<Record<CheckName, Outcome>> => {
        const outcome: Outcome = { status: 'failed', detail: `doctor could not run the check: ${String(error)}` };
        return Object.fromEntries(names.map((n) => [n, outcome]));
      });
      for (const name of names) record(name, outcomes[name] ?? { status: 'failed', detail: 'no result' }, started);
    }
  } finally {
    await api.close();
    sandbox.dispose();
  }
  return { version: version.version, results };
}

type Outcome = Omit<CheckResult, 'id' | 'title'>;

interface Context {
  options: ClaudeChecksOptions;
  api: FakeMessagesApi;
  sandbox: ClaudeSandbox;
  scripts: Map<string, (body: RequestBody) => FakeScript>;
  /** The tool-commit session, which the resume check continues. */
  committed?: CheckSession;
}

/** Runs a session of the check; `script` is what the model does in its repository. */
function session(ctx: Context, name: string, script: (body: RequestBody) => FakeScript, extra: Partial<Parameters<typeof runCheckSession>[0]> = {}): Promise<CheckSession> {
  const task = extra.task ?? newTask(ctx.sandbox, name, `Write ${name}.txt and commit it.`);
  ctx.scripts.set(task.worktree, script);
  const abort = new AbortController();
  const onAbort = (): void => abort.abort();
  ctx.options.signal?.addEventListener('abort', onAbort, { once: true });
  return runCheckSession({
    sandbox: ctx.sandbox,
    claudePath: ctx.options.claudePath,
    screenRules: ctx.options.screenRules ?? claudeScreenRules21,
    trustOnScreen: false,
    signal: abort.signal,
    ...extra,
    task,
  }).finally(() => ctx.options.signal?.removeEventListener('abort', onAbort));
}

/** How the session ended, for a failure's detail. */
function ended(s: CheckSession): string {
  return `the task ended ${s.result.status}: ${s.result.reason}`;
}

function failed(s: CheckSession, expected: string): Outcome {
  return { status: 'failed', detail: `${expected}; ${ended(s)}`, screen: s.screen };
}

async function checkTrust(ctx: Context): Promise<Partial<Record<CheckName, Outcome>>> {
  const s = await session(ctx, 'trust', () => ({ turns: [[...commitFile('trust.txt', 'Add trust.txt'), { text: 'Done.' }]] }), { trustOnScreen: true });
  const answered = s.actions.some((a) => a.startsWith('dialog: trust dialog'));
  if (answered && s.result.status === 'done') return { trust: { status: 'ok' } };
  if (!answered && s.result.status === 'done') {
    return { trust: { status: 'changed', detail: 'Claude started in a folder it had never seen without a trust dialog ccwave recognised; the task still ran', screen: s.screen } };
  }
  return { trust: failed(s, 'expected a screen the `trust-dialog` rule recognises ("Quick safety check" / "Yes, I trust this folder"), answered, then the task done') };
}

/** The first turn writes and commits; the second is the one `--resume` asks for. */
const TOOL_COMMIT_SCRIPT = (): FakeScript => ({
  turns: [
    [...commitFile('hello.txt', 'Add hello.txt'), { text: 'Done: hello.txt is committed.' }],
    [...commitFile('resumed.txt', 'Add resumed.txt'), { text: 'Done: resumed.txt is committed.' }],
  ],
});

async function checkToolCommitAndHooks(ctx: Context): Promise<Partial<Record<CheckName, Outcome>>> {
  const first = await session(ctx, 'tool-commit', TOOL_COMMIT_SCRIPT);
  ctx.committed = first;
  const outcomes: Partial<Record<CheckName, Outcome>> = {};
  const missing = ['SessionStart', 'Stop'].filter((h) => !first.hooks.includes(h));
  outcomes.hooks =
    missing.length === 0 ? { status: 'ok' } : failed(first, `expected the hooks SessionStart and Stop; ${missing.join(' and ')} never came (hooks seen: ${first.hooks.join(', ') || 'none'})`);
  const committed = first.result.status === 'done' && first.result.commits.length === 1;
  outcomes.toolCommit = committed ? { status: 'ok' } : failed(first, 'expected the Write and Bash tool calls to write hello.txt and commit it, and the task done with that one commit');
  outcomes.statusLine = usageOutcome(first, ctx.api);

  return outcomes;
}

/** The session's last reading: its tokens exactly what the API sent its turns, and a cost. */
function usageOutcome(s: CheckSession, api: FakeMessagesApi): Outcome {
  const last = s.events.flatMap((e) => (e.type === 'usage' ? [e.reading] : [])).at(-1);
  const sent = api.usageSent.filter((u) => u.mainTurn && u.workingDirectory === s.task.worktree);
  const expected = {
    input: sent.reduce((n, u) => n + u.input_tokens, 0),
    output: sent.reduce((n, u) => n + u.output_tokens, 0),
    cacheCreation: sent.reduce((n, u) => n + u.cache_creation_input_tokens, 0),
    cacheRead: sent.reduce((n, u) => n + u.cache_read_input_tokens, 0),
  };
  if (!last?.tokens) return failed(s, 'expected token counts from the transcript the hooks name; none came');
  if (JSON.stringify(last.tokens) !== JSON.stringify(expected)) {
    return failed(s, `expected the transcript's tokens to be what the API sent (${JSON.stringify(expected)}); they were ${JSON.stringify(last.tokens)}`);
  }
  if (last.costUsd === undefined || last.costUsd <= 0) return failed(s, "expected a cost from ccwave's status line after the turn; none came, so dollar budgets cannot work");
  return { status: 'ok' };
}

async function checkResume(ctx: Context): Promise<Partial<Record<CheckName, Outcome>>> {
  const first = ctx.committed;
  if (!first) return { resume: { status: 'failed', detail: 'not run: there is no session to resume' } };
  const outcomes: Partial<Record<CheckName, Outcome>> = {};
  const second = await session(ctx, 'tool-commit', TOOL_COMMIT_SCRIPT, { task: first.task, resume: { message: RESUME_MESSAGE } });
  const resumed = second.events.some((e) => e.type === 'launch' && e.resumed);
  // The resumed conversation must hold the first turn: a fresh session would not.
  const continued = ctx.api.requests.some(
    (r) => workingDirectory(r.body) === first.task.worktree && JSON.stringify(r.body).includes(RESUME_MESSAGE) && JSON.stringify(r.body).includes('Add hello.txt'),
  );
  if (second.result.status === 'done' && resumed && continued && second.result.commits.length === 1) outcomes.resume = { status: 'ok' };
  else if (second.result.status === 'done' && !continued)
    outcomes.resume = failed(second, 'expected `--resume` to continue the first conversation; the model was sent a conversation without the first turn');
  else outcomes.resume = failed(second, `expected \`--resume ${first.task.sessionId}\` to continue the session and commit resumed.txt`);
  return outcomes;
}

async function checkPermission(ctx: Context): Promise<Partial<Record<CheckName, Outcome>>> {
  const s = await session(
    ctx,
    'permission',
    () => ({
      turns: [
        // Not among the allowed tools: Claude must ask.
        [{ tool: 'Bash', input: { command: 'node -e "console.log(42)"', description: 'Print 42' } }, { text: 'Printed.' }],
        [...commitFile('permission.txt', 'Add permission.txt'), { text: 'Done without node.' }],
      ],
    }),
    { policy: { permission: 'deny' } },
  );
  const denied = s.actions.some((a) => a.startsWith('dialog: permission denied'));
  const told = s.actions.includes(`input: ${MESSAGES.denied}`);
  if (denied && told && s.result.status === 'done') return { permission: { status: 'ok' } };
  if (!denied && s.result.status === 'done') {
    return { permission: { status: 'changed', detail: 'a Bash command outside the allowed tools ran without a permission prompt ccwave recognised', screen: s.screen } };
  }
  return { permission: failed(s, 'expected a screen the `permission-prompt` rule recognises ("Do you want to proceed?" with "1. Yes"), denied, the agent told so, then the task done') };
}

/**
 * Claude shows its usage-limit screen to subscription logins only; with an API key a limit is a
 * "rate limit" it retries and then reports as an API error. So this session logs in with a made-up
 * OAuth token (the fake API accepts anything) and the API answers 429 with the rate-limit headers
 * of a spent 5-hour window: Claude then shows "Usage limit reached · …" and ends the turn, ccwave
 * pauses, sends "continue" when the wait is over, and the task finishes.
 */
async function checkUsageLimit(ctx: Context): Promise<Partial<Record<CheckName, Outcome>>> {
  const reset = String(Math.floor(Date.now() / 1000) + LIMIT_RESET_AHEAD_S);
  const limit: FakeStep = {
    error: 429,
    message: "This request would exceed your account's rate limit. Please try again later.",
    headers: {
      'anthropic-ratelimit-unified-status': 'rejected',
      'anthropic-ratelimit-unified-reset': reset,
      'anthropic-ratelimit-unified-5h-status': 'rejected',
      'anthropic-ratelimit-unified-5h-reset': reset,
      'anthropic-ratelimit-unified-representative-claim': 'five_hour',
    },
  };
  // Refused until ccwave sends its follow-up: Claude's own retries resend the same conversation.
  // The work is offered again in a second turn, so that a second "continue" (ccwave once took the
  // old limit, still drawn while a loaded machine redraws, for a new one) does not break the
  // scripted turn: the session core's tests hold that it sends one.
  const work: FakeStep[] = [...commitFile('limit.txt', 'Add limit.txt'), { text: 'Done after the limit.' }];
  const recovered: FakeScript = { turns: [work, work] };
  const s = await session(ctx, 'usage-limit', (body) => (userTexts(body) > 1 ? recovered : { turns: [[limit]] }), {
    env: { ANTHROPIC_API_KEY: undefined, CLAUDE_CODE_OAUTH_TOKEN: DOCTOR_OAUTH_TOKEN },
    // The check must not wait an hour: the pause is cut short, the reset time is only read.
    policy: { usageLimitDefaultWaitMs: LIMIT_WAIT_MS, usageResetMarginMs: -LIMIT_RESET_AHEAD_S * 1000 + LIMIT_WAIT_MS },
  });
  const pauses = s.events.flatMap((e) => (e.type === 'state' && e.state.kind === 'paused' ? [e.state] : []));
  const resumed = s.actions.some((a) => a.startsWith('resumed'));
  const finished = s.result.status === 'done' && s.result.commits.length === 1;
  if (pauses.length === 0) return { usageLimit: failed(s, 'expected a screen the `usage-limit` rule recognises ("Usage limit reached", "You\'ve hit your limit · resets …") and a pause') };
  if (!resumed || !finished) return { usageLimit: failed(s, 'expected ccwave to wait out the usage limit, send "continue", and the task to end done with its commit') };
  const unread = pauses.find((p) => p.until === undefined);
  if (unread) {
    return {
      usageLimit: {
        status: 'changed',
        detail: `the usage limit was recognised and waited out, but no reset time was read from "${unread.detail ?? ''}": a run waits the default period instead of until the reset`,
        screen: s.screen,
      },
    };
  }
  const resetAt = Number(reset) * 1000;
  const wrong = pauses.find((p) => p.until !== undefined && Math.abs(p.until.getTime() - resetAt) > RESET_TOLERANCE_MS);
  if (wrong?.until) {
    return {
      usageLimit: {
        status: 'changed',
        detail: `the usage limit was recognised and waited out, but the reset time read from "${wrong.detail ?? ''}" is ${wrong.until.toISOString()}, not ${new Date(resetAt).toISOString()}`,
        screen: s.screen,
      },
    };
  }
  return { usageLimit: { status: 'ok' } };
}

/**
 * The user's words in the conversation, however Claude groups them: after a refused turn it adds
 * the next message to the same user message, as one more text block.
 */
function userTexts(body: RequestBody): number {
  const messages = Array.isArray(body['messages']) ? (body['messages'] as unknown[]) : [];
  let count = 0;
  for (const m of messages) {
    if (!isRecord(m) || m['role'] !== 'user') continue;
    const content = m['content'];
    if (typeof content === 'string') count += 1;
    else if (Array.isArray(content)) count += content.filter((b: unknown) => isRecord(b) && b['type'] === 'text' && typeof b['text'] === 'string' && !b['text'].startsWith('<system-reminder>')).length;
  }
  return count;
}

async function checkStop(ctx: Context): Promise<Partial<Record<CheckName, Outcome>>> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  ctx.options.signal?.addEventListener('abort', onAbort, { once: true });
  const s = await session(ctx, 'stop', () => ({ turns: [[{ text: 'Too late.', delayMs: STOP_MODEL_DELAY_MS }]] }), {
    signal: stop.signal,
    // Stop while the agent works on its first turn, as Ctrl-C in a run would.
    onEvent: (event) => {
      if (event.type === 'state' && event.state.kind === 'working') stop.abort();
    },
  }).finally(() => ctx.options.signal?.removeEventListener('abort', onAbort));
  if (s.result.status !== 'interrupted') return { stop: failed(s, 'expected the task to end interrupted once stopped while the agent worked') };
  const left = s.pid === undefined ? [] : await survivors(s.pid);
  if (left.length > 0) return { stop: { status: 'failed', detail: `processes of the agent still run after the stop: ${left.join(', ')}`, screen: s.screen } };
  return { stop: { status: 'ok' } };
}

/** `claude --version` prints e.g. "2.1.330 (Claude Code)". */
function claudeVersion(claudePath: string): Promise<{ ok: true; version: string } | { ok: false; detail: string }> {
  return new Promise((resolve) => {
    execFile(claudePath, ['--version'], { timeout: VERSION_TIMEOUT_MS, encoding: 'utf8', env: { ...process.env, DISABLE_AUTOUPDATER: '1' } }, (error, stdout, stderr) => {
      const version = /\d+\.\d+\.\d+\S*/.exec(stdout)?.[0];
      if (!error && version) resolve({ ok: true, version });
      else resolve({ ok: false, detail: `\`${claudePath} --version\` ${error ? `failed: ${(stderr || error.message).trim()}` : `printed no version: ${stdout.trim()}`}` });
    });
  });
}
