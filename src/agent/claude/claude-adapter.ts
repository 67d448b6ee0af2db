import type { AgentAdapter, AgentTask, LaunchFile, LaunchSpec } from '../adapter.js';
import { HOOK_EVENTS } from '../hook-event.js';
import { hookLaunchFiles, hookTimeoutSec, promptArgument, taskHookCommand, verifyConfig, type VerifyOption } from '../hook/hook-launch.js';
import type { HookVerifyConfig } from '../hook/hook-script.js';
import { STATUS_LINE_SCRIPT_SOURCE, statusLineCommand, USER_STATUS_LINE_TIMEOUT_MS, type StatusLineConfig } from '../hook/status-line-script.js';
import { ccwaveEnv, taskFiles } from '../task-files.js';
import { buildTaskPrompt } from '../task-prompt.js';
import { planCommandRules } from './command-rules.js';
import { preTrustPath } from './pre-trust.js';
import { claudeScreenRules21 } from './screen-rules-2.1.js';
import { readUserStatusLine, userSettingsPath, type UserStatusLine } from './user-status-line.js';

/** One of the modes the installed Claude accepts (see permission-modes.ts). */
export type ClaudePermissionMode = string;

export interface ClaudeAdapterOptions {
  /** The program and any leading arguments, e.g. `['claude']` (default) or `['node', 'fake-agent.mjs']`. */
  command?: readonly string[];
  /**
   * Passed explicitly: 2.1.330 defaults to "auto" mode, whose classifier makes extra model calls and
   * shows a billing notice first. `acceptEdits` plus allowed commands suits unattended work.
   */
  permissionMode?: ClaudePermissionMode;
  allowedTools?: readonly string[];
  disallowedTools?: readonly string[];
  model?: string;
  /** Run by the Stop hook; the stop is blocked while it fails (bounded). A shell command the user wrote. */
  verify?: VerifyOption;
  /** Pre-accept the folder-trust dialog in `claudeConfigPath` instead of answering it on screen. */
  preTrust?: { claudeConfigPath: string };
  /** Node executable for the hook command; defaults to the one running ccwave. */
  nodePath?: string;
  extraArgs?: readonly string[];
  env?: Record<string, string>;
  /**
   * The user's Claude settings file whose `statusLine` ccwave's status line runs after recording;
   * defaults to `$CLAUDE_CONFIG_DIR/settings.json` or `~/.claude/settings.json`.
   */
  userSettingsPath?: string;
  /** Claude Code's own sandbox for the Bash tool; writes outside the worktree need `allowWrite`. */
  sandbox?: ClaudeSandbox;
}

export interface ClaudeSandbox {
  /** Paths besides the working directory that shell commands may write (what git needs). */
  allowWrite: readonly string[];
  /** Network domains shell commands may reach; none by default. */
  allowedDomains: readonly string[];
}

/** The agent commits its own work: these must never wait for a permission prompt. */
export const GIT_COMMIT_TOOLS = ['Bash(git add:*)', 'Bash(git commit:*)', 'Bash(git status:*)', 'Bash(git diff:*)', 'Bash(git log:*)'] as const;

/** AskUserQuestion opens a menu nobody will answer in an unattended run. */
const ALWAYS_DISALLOWED = ['AskUserQuestion'] as const;

export function createClaudeAdapter(options: ClaudeAdapterOptions = {}): AgentAdapter {
  const permissionMode = options.permissionMode ?? 'acceptEdits';
  const verify = verifyConfig(options.verify);

  const launch = (task: AgentTask, session: string[], message: string): LaunchSpec => {
    const files = taskFiles(task.taskDir);
    const prompt = promptArgument(message, files);
    const allowed = unique([...(options.allowedTools ?? []), ...GIT_COMMIT_TOOLS, ...planCommandRules(task.commands ?? []).rules]);
    const disallowed = unique([...(options.disallowedTools ?? []), ...ALWAYS_DISALLOWED]);
    // The tool lists are variadic, so no `--flag=value` form can hold them: a rule that looks like
    // an option would reach claude as one. Plans refuse these; this is the last line.
    const optionLike = [...allowed, ...disallowed].find((tool) => tool.startsWith('-'));
    if (optionLike !== undefined) throw new Error(`refusing to pass the tool rule ${JSON.stringify(optionLike)} to claude: it would be read as an option`);
    const argv = [
      ...(options.command ?? ['claude']),
      ...session,
      '--settings',
      files.claudeSettings,
      '--permission-mode',
      permissionMode,
      // One token, so a model name can never be read as an option of its own.
      ...(options.model ? [`--model=${options.model}`] : []),
      '--allowedTools',
      ...allowed,
      '--disallowedTools',
      ...disallowed,
      ...(options.extraArgs ?? []),
      // The tool lists above are variadic: without `--` Claude reads the prompt as one more tool.
      '--',
      prompt.argument,
    ];
    // Read at each launch, so a status line the user changed between runs is the one that shows.
    const userStatusLine = readUserStatusLine(options.userSettingsPath ?? userSettingsPath());
    const statusLineConfig: StatusLineConfig = { command: userStatusLine?.command, timeoutMs: USER_STATUS_LINE_TIMEOUT_MS };
    const settings = { ...hookSettings(files, options.nodePath, verify), ...statusLineSettings(files, options.nodePath, userStatusLine), ...sandboxSettings(options.sandbox) };
    const launchFiles: LaunchFile[] = [
      ...prompt.files,
      ...hookLaunchFiles(files, verify),
      { path: files.statusLineScript, content: STATUS_LINE_SCRIPT_SOURCE, mode: 0o755 },
      { path: files.statusLineConfig, content: JSON.stringify(statusLineConfig, null, 2) },
      { path: files.claudeSettings, content: JSON.stringify(settings, null, 2) },
    ];
    return {
      argv,
      env: { ...options.env, ...ccwaveEnv(task, files.hookChannel) },
      files: launchFiles,
      hookChannel: files.hookChannel,
    };
  };

  return {
    name: 'claude',
    completion: 'session',
    screenRules: claudeScreenRules21,
    politeStop: { text: '/exit' },
    bypassesPermissions: permissionMode === 'bypassPermissions',
    buildLaunch: (task) => launch(task, ['--session-id', task.sessionId], buildTaskPrompt(task)),
    resumeLaunch: (task, message) => launch(task, ['--resume', task.sessionId], message),
    prepare: async (task) => {
      if (options.preTrust) await preTrustPath(options.preTrust.claudeConfigPath, task.worktree);
    },
  };
}

/** The `--settings` file: every subscribed hook event runs ccwave's hook script. */
function hookSettings(files: ReturnType<typeof taskFiles>, nodePath: string | undefined, verify: HookVerifyConfig | undefined): { hooks: Record<string, unknown[]> } {
  const command = taskHookCommand(files, nodePath);
  const hooks: Record<string, unknown[]> = {};
  for (const event of HOOK_EVENTS) hooks[event] = [{ hooks: [{ type: 'command', command, timeout: hookTimeoutSec(event, verify) }] }];
  return { hooks };
}

/**
 * The `--settings` status line: ccwave's script, which records the status and then runs the user's
 * own status line. Settings given with `--settings` take precedence over the user's and the
 * project's, so this one is the one Claude runs; the user's padding is kept.
 */
function statusLineSettings(files: ReturnType<typeof taskFiles>, nodePath: string | undefined, user: UserStatusLine | undefined): { statusLine: Record<string, unknown> } {
  const command = statusLineCommand(nodePath ?? process.execPath, files.statusLineScript, files.hookChannel, files.statusLineConfig);
  return { statusLine: { type: 'command', command, ...(user?.padding !== undefined ? { padding: user.padding } : {}) } };
}

/**
 * Claude's sandbox, made a hard boundary: no run without it (`failIfUnavailable`), no way for the
 * agent to ask for a command outside it (`allowUnsandboxedCommands: false`). Commands inside it
 * need no prompt, which is what makes it worth having unattended.
 */
function sandboxSettings(sandbox: ClaudeSandbox | undefined): { sandbox?: Record<string, unknown> } {
  if (!sandbox) return {};
  return {
    sandbox: {
      enabled: true,
      failIfUnavailable: true,
      allowUnsandboxedCommands: false,
      autoAllowBashIfSandboxed: true,
      filesystem: { allowWrite: [...sandbox.allowWrite] },
      network: { allowedDomains: [...sandbox.allowedDomains] },
    },
  };
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}
