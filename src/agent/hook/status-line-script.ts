import { READ_CONFIG_SOURCE, shellQuote } from './hook-script.js';

/**
 * The `statusLine` command Claude Code runs after each assistant message (and at start):
 *   node ccwave-status-line.mjs <channel-file> [<status-line-config.json>]
 * It appends the status JSON it receives on stdin to the task's hook channel as one line,
 * `{"hook_event_name":"ccwave-status-line","status":{…}}`, so the runner learns cost, model and
 * rate limits. Then, when the config names the user's own status-line command (from their user
 * settings), it runs that with the same stdin and prints what it printed: the user's status line
 * keeps working in an attached session. Claude shows whatever this prints; with no user command it
 * prints nothing, so the screen ccwave reads looks as it does without a status line.
 *
 * The status is wrapped rather than spread so none of its fields can pass for a hook's fields.
 */
export const STATUS_LINE_EVENT = 'ccwave-status-line';

/** Claude waits for the status line; a user's command that hangs must not hold it long. */
export const USER_STATUS_LINE_TIMEOUT_MS = 5_000;

export const STATUS_LINE_SCRIPT_SOURCE = String.raw`// Written by ccwave. Status-line command for Claude Code: see src/agent/hook/status-line-script.ts.
import { appendFileSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const MAX_OUTPUT_BYTES = 64 * 1024;
const [channel, configPath] = process.argv.slice(2);

${READ_CONFIG_SOURCE}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  let status;
  try {
    status = JSON.parse(input);
  } catch {
    status = undefined;
  }
  try {
    appendFileSync(channel, JSON.stringify({ hook_event_name: '${STATUS_LINE_EVENT}', status }) + '\n');
  } catch {
    // The user's status line still shows.
  }
  const config = readConfig();
  if (typeof config.command !== 'string' || config.command === '') return;
  const result = spawnSync(config.command, {
    shell: true,
    cwd: (status && typeof status.cwd === 'string' && status.cwd) || process.cwd(),
    input,
    encoding: 'utf8',
    timeout: config.timeoutMs || ${USER_STATUS_LINE_TIMEOUT_MS},
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  if (result.stdout) process.stdout.write(result.stdout);
}

// A broken status line must never break the agent's session.
main().catch(() => process.exit(0));
`;

/** What the status-line script reads at each call: the user's own command, if any. */
export interface StatusLineConfig {
  command?: string;
  timeoutMs: number;
}

/** The shell command line Claude runs for the status line. */
export function statusLineCommand(nodePath: string, scriptPath: string, channelPath: string, configPath: string): string {
  return [nodePath, scriptPath, channelPath, configPath].map(shellQuote).join(' ');
}
