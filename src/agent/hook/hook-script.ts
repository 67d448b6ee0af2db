/**
 * The hook command Claude Code (and Codex, whose hooks take the same JSON and the same
 * `{"decision":"block"}` answer) runs for each subscribed event:
 *   node ccwave-hook.mjs <channel-file> [<hook-config.json>]
 * It appends the event JSON it receives on stdin as one line to the channel file the runner
 * follows. For `Stop`, when the config names a verify command, it runs it in the session's
 * directory and blocks the stop (`{"decision":"block"}`) while it fails, for a bounded number of
 * attempts in a row (`stop_hook_active` tells a continued stop from a fresh one).
 *
 * The source lives here as text and is written next to each task's settings file: the hook then
 * needs no build step and always matches the runner that reads its output.
 */
/**
 * Both scripts ccwave writes next to a session (this hook and the status line) read their config
 * file the same way: the JSON at `configPath`, or `{}` when it is missing or unreadable.
 */
export const READ_CONFIG_SOURCE = String.raw`function readConfig() {
  try {
    return configPath ? JSON.parse(readFileSync(configPath, 'utf8')) : {};
  } catch {
    return {};
  }
}`;

export const HOOK_SCRIPT_SOURCE = String.raw`// Written by ccwave. Hook command for Claude Code: see src/agent/hook/hook-script.ts.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const OUTPUT_TAIL_CHARS = 4000;
const [channel, configPath] = process.argv.slice(2);

${READ_CONFIG_SOURCE}

function readCount(path) {
  try {
    return Number(readFileSync(path, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function runVerify(event, verify) {
  const counterPath = channel + '.verify-attempts';
  const attempt = event.stop_hook_active ? readCount(counterPath) + 1 : 1;
  writeFileSync(counterPath, String(attempt));
  const result = spawnSync(verify.command, {
    shell: true,
    cwd: event.cwd || process.cwd(),
    encoding: 'utf8',
    timeout: verify.timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ok = result.status === 0;
  const output = ((result.stdout || '') + (result.stderr || '')).slice(-OUTPUT_TAIL_CHARS);
  const blocked = !ok && attempt < verify.maxAttempts;
  event.ccwave_verify = { ok, attempt, blocked, output };
  if (!blocked) return undefined;
  return {
    decision: 'block',
    reason:
      'The verify command "' + verify.command + '" failed (attempt ' + attempt + ' of ' + verify.maxAttempts +
      '). Fix the cause, commit, and finish again. Its output:\n' + output,
  };
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  let event;
  try {
    event = JSON.parse(input);
  } catch {
    event = { hook_event_name: 'unparsable', raw: input.slice(0, 2000) };
  }
  const config = readConfig();
  let decision;
  if (event.hook_event_name === 'Stop' && config.verify) decision = runVerify(event, config.verify);
  appendFileSync(channel, JSON.stringify(event) + '\n');
  if (decision) process.stdout.write(JSON.stringify(decision));
}

// A broken hook must never break the agent's session: report nothing rather than fail.
main().catch(() => process.exit(0));
`;

export interface HookVerifyConfig {
  command: string;
  /** Stops blocked in a row before the agent is let go (Claude itself gives up after 8). */
  maxAttempts: number;
  timeoutMs: number;
}

/** Single-quotes one word for POSIX sh: a hook `command` is a shell string by Claude's design. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The shell command line the agent runs for every hook event. */
export function hookCommand(nodePath: string, scriptPath: string, channelPath: string, configPath: string): string {
  return [nodePath, scriptPath, channelPath, configPath].map(shellQuote).join(' ');
}
