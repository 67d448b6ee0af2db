import { lstat } from 'node:fs/promises';
import path from 'node:path';
import type { AgentAdapter, AgentTask, LaunchSpec } from '../adapter.js';
import { hookLaunchFiles, hookTimeoutSec, promptArgument, taskHookCommand, verifyConfig, type VerifyOption } from '../hook/hook-launch.js';
import type { HookVerifyConfig } from '../hook/hook-script.js';
import { isAgentSessionId } from '../session-id.js';
import { ccwaveEnv, taskFiles } from '../task-files.js';
import { buildTaskPrompt } from '../task-prompt.js';
import { RolloutUsage } from '../usage/rollout-usage.js';
import { codexScreenRules0171 } from './screen-rules-0.171.js';

export interface CodexAdapterOptions {
  /** The program and any leading arguments, e.g. `['codex']` (default). */
  command?: readonly string[];
  model?: string;
  /** Run by the Stop hook; the stop is blocked while it fails (bounded). A shell command the user wrote. */
  verify?: VerifyOption;
  /**
   * Codex's own sandbox (`workspace-write`) instead of none: shell commands may write the worktree
   * and these paths (what `git commit` needs in the shared git dir), and reach no network.
   */
  sandbox?: { allowWrite: readonly string[] };
  /** Node executable for the hook command; defaults to the one running ccwave. */
  nodePath?: string;
  extraArgs?: readonly string[];
  env?: Record<string, string>;
}

/** The hook events Codex 0.171 has that the session core reads (Codex has no Notification or StopFailure). */
const CODEX_HOOK_EVENTS = ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd'] as const;
/** What Codex reads from a trusted project folder besides its own files: config (with hooks) and hooks. */
const PROJECT_CODEX_FILES = ['.codex/config.toml', '.codex/hooks.json'];

/**
 * Codex CLI (checked on 0.171.0), driven like Claude Code: interactive in a PTY, turns reported by
 * ccwave's hook script, ended with `/exit`. Nothing of the user's `~/.codex` (or `$CODEX_HOME`) is
 * written: every launch gets what it needs as flags and `-c` overrides, which win over config files.
 *
 * Codex names its session itself (the id is not known before the first hook): a fresh launch
 * ignores `task.sessionId`; a resume continues `task.sessionId`, the id the session adopted.
 */
export function createCodexAdapter(options: CodexAdapterOptions = {}): AgentAdapter {
  const verify = verifyConfig(options.verify);

  /** `resumeId`: the session to continue (`codex resume <flags> <id> -- <message>`). */
  const launch = (task: AgentTask, resumeId: string | undefined, message: string): LaunchSpec => {
    const files = taskFiles(task.taskDir);
    if (resumeId !== undefined && !isAgentSessionId(resumeId)) throw new Error(`refusing to resume the Codex session ${JSON.stringify(resumeId)}: not a session id`);
    const prompt = promptArgument(message, files);
    const argv = [
      ...(options.command ?? ['codex']),
      ...(resumeId !== undefined ? ['resume'] : []),
      ...codexFlags(task, files, options, verify),
      ...(resumeId !== undefined ? [resumeId] : []),
      // The prompt may start with a dash.
      '--',
      prompt.argument,
    ];
    return {
      argv,
      env: { ...options.env, ...ccwaveEnv(task, files.hookChannel) },
      files: [...prompt.files, ...hookLaunchFiles(files, verify)],
      hookChannel: files.hookChannel,
    };
  };

  return {
    name: 'codex',
    completion: 'session',
    namesOwnSession: true,
    costUnknown: true,
    screenRules: codexScreenRules0171,
    politeStop: { text: '/exit' },
    bypassesPermissions: options.sandbox === undefined,
    transcriptReader: openRollout,
    buildLaunch: (task) => launch(task, undefined, buildTaskPrompt(task)),
    resumeLaunch: (task, message) => launch(task, task.sessionId, message),
    prepare: async (task) => {
      if (options.sandbox) await refuseProjectConfig(task.worktree);
    },
  };
}

/**
 * The flags every launch gets, fresh or resumed:
 * - `--no-daemon`: by default the TUI starts `codex app-server --managed-daemon`, which outlives it.
 * - `--no-alt-screen`: the transcript scrolls into the terminal's scrollback, so the screen saved when
 *   a task fails keeps what scrolled off; the bottom of the screen (what the rules read) is the same.
 * - `-s`/`-a`: no sandbox and no approvals (like an unattended Claude with its tools allowed), or
 *   Codex's `workspace-write` sandbox with the git dirs a commit writes; never a prompt.
 * - `--dangerously-bypass-hook-trust`: without it Codex shows "Hooks need review" for hooks it has
 *   not seen, and ccwave's are new at every launch. It also lets a trusted project's own hooks run
 *   unreviewed: Codex 0.171 loads `.codex/config.toml` and `.codex/hooks.json` from a trusted folder
 *   and has no flag or override to stop that, so whatever an agent writes there runs as the user at
 *   its next launch (a resume). Unsandboxed that is no more than the agent can do anyway; a
 *   sandboxed launch refuses a worktree holding such files (see `refuseProjectConfig`).
 * - `projects=…trusted`: the worktree is trusted, so no trust screen; other folders keep theirs.
 * - the model as one token, so it can never be read as an option.
 */
function codexFlags(task: AgentTask, files: ReturnType<typeof taskFiles>, options: CodexAdapterOptions, verify: HookVerifyConfig | undefined): string[] {
  const sandbox = options.sandbox
    ? [
        '-s',
        'workspace-write',
        '-c',
        `sandbox_workspace_write.writable_roots=${tomlArray(options.sandbox.allowWrite)}`,
        '-c',
        'sandbox_workspace_write.network_access=false',
        // By default /tmp and $TMPDIR are writable too: other tasks' worktrees may be there.
        '-c',
        'sandbox_workspace_write.exclude_slash_tmp=true',
        '-c',
        'sandbox_workspace_write.exclude_tmpdir_env_var=true',
      ]
    : ['-s', 'danger-full-access'];
  return [
    '--no-daemon',
    '--no-alt-screen',
    ...sandbox,
    '-a',
    'never',
    '--dangerously-bypass-hook-trust',
    '-c',
    `hooks=${hookTable(files, options.nodePath, verify)}`,
    '-c',
    `projects={${tomlString(task.worktree)}={trust_level="trusted"}}`,
    ...(options.model ? [`--model=${options.model}`] : []),
    ...(options.extraArgs ?? []),
  ];
}

/** The `hooks` table as one TOML inline table: every subscribed event runs ccwave's hook script. */
function hookTable(files: ReturnType<typeof taskFiles>, nodePath: string | undefined, verify: HookVerifyConfig | undefined): string {
  const command = taskHookCommand(files, nodePath);
  const events = CODEX_HOOK_EVENTS.map((event) => `${event}=[{hooks=[{type="command",command=${tomlString(command)},timeout=${hookTimeoutSec(event, verify)}}]}]`);
  return `{${events.join(',')}}`;
}

/** A TOML basic string: JSON's escapes (\", \\, \n, \uXXXX) are all valid TOML. */
function tomlString(text: string): string {
  return JSON.stringify(text);
}

function tomlArray(items: readonly string[]): string {
  return `[${items.map(tomlString).join(',')}]`;
}

/**
 * Codex runs hooks outside its sandbox, and reads them from a trusted project's `.codex/`: a
 * sandboxed agent could write its way out at its next launch. Such a worktree is not launched.
 */
async function refuseProjectConfig(worktree: string): Promise<void> {
  for (const file of PROJECT_CODEX_FILES) {
    const found = await lstat(path.join(worktree, file)).then(
      () => true,
      () => false,
    );
    if (found) throw new Error(`refusing to start a sandboxed Codex: the worktree holds ${file}, whose hooks and settings Codex would run outside its sandbox`);
  }
}

/**
 * The rollout a hook names, only when its file name is that of this session's rollout
 * (`rollout-<time>-<session id>.jsonl`): a line naming another file cannot make ccwave count it.
 */
function openRollout(rollout: string, sessionId: string): RolloutUsage | undefined {
  const name = path.basename(rollout);
  return path.isAbsolute(rollout) && name.startsWith('rollout-') && name.endsWith(`-${sessionId}.jsonl`) ? new RolloutUsage(rollout) : undefined;
}
