import type { LaunchFile } from '../adapter.js';
import type { taskFiles } from '../task-files.js';
import { HOOK_SCRIPT_SOURCE, hookCommand, type HookVerifyConfig } from './hook-script.js';

// What the hook-driven adapters (Claude Code, Codex) write and pass the same way at every launch:
// the prompt argument, ccwave's hook script with its config, and the hooks' timeouts.

type TaskFiles = ReturnType<typeof taskFiles>;

/** The `verify` option of an adapter, as a plan gives it. */
export interface VerifyOption {
  command: string;
  maxAttempts?: number;
  timeoutMs?: number;
}

const DEFAULT_VERIFY_ATTEMPTS = 3;
const DEFAULT_VERIFY_TIMEOUT_MS = 10 * 60_000;
/** Linux refuses a single argv entry over 128 KiB; a longer prompt goes through a file. */
const MAX_PROMPT_ARG_BYTES = 100 * 1024;
/** Hook timeout for events that only append a line: generous, the machine may be loaded. */
const PLAIN_HOOK_TIMEOUT_SEC = 30;
/** Slack over the verify command's own timeout before the agent kills the Stop hook. */
const VERIFY_HOOK_SLACK_SEC = 30;

export function verifyConfig(verify: VerifyOption | undefined): HookVerifyConfig | undefined {
  return (
    verify && {
      command: verify.command,
      maxAttempts: verify.maxAttempts ?? DEFAULT_VERIFY_ATTEMPTS,
      timeoutMs: verify.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
    }
  );
}

/** The message as the last argv entry, or, when too long for one, a pointer to the file it is written to. */
export function promptArgument(message: string, files: TaskFiles): { argument: string; files: LaunchFile[] } {
  if (Buffer.byteLength(message) <= MAX_PROMPT_ARG_BYTES) return { argument: message, files: [] };
  return {
    argument: `Your task is in the file ${files.promptFile}. Read all of it, then do it.`,
    files: [{ path: files.promptFile, content: message }],
  };
}

/** ccwave's hook script and the config it reads (the verify command). */
export function hookLaunchFiles(files: TaskFiles, verify: HookVerifyConfig | undefined): LaunchFile[] {
  return [
    { path: files.hookScript, content: HOOK_SCRIPT_SOURCE, mode: 0o755 },
    { path: files.hookConfig, content: JSON.stringify({ verify }, null, 2) },
  ];
}

/** The command every subscribed hook event runs. */
export function taskHookCommand(files: TaskFiles, nodePath: string | undefined): string {
  return hookCommand(nodePath ?? process.execPath, files.hookScript, files.hookChannel, files.hookConfig);
}

/** The Stop hook runs the verify command, so it may take that long; the others only append a line. */
export function hookTimeoutSec(event: string, verify: HookVerifyConfig | undefined): number {
  return event === 'Stop' && verify ? Math.ceil(verify.timeoutMs / 1000) + VERIFY_HOOK_SLACK_SEC : PLAIN_HOOK_TIMEOUT_SEC;
}
