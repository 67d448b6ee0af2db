import type { AgentAdapter, AgentTask, LaunchSpec } from '../adapter.js';
import { ccwaveEnv, taskFiles } from '../task-files.js';
import { buildTaskPrompt } from '../task-prompt.js';

/**
 * Any CLI agent or script. The task is done when the process exits with code 0 and the worktree
 * holds new commits and no uncommitted changes.
 *
 * How it gets the prompt: always in the file named by `CCWAVE_PROMPT_FILE` (the full text: PROMPT.md
 * plus ccwave's instructions). In `argv` form, an entry that is exactly `{prompt}` is replaced by the
 * prompt text and one that is exactly `{promptFile}` by the file's path. It is never written to
 * stdin: a terminal's line discipline mangles long input. In `shell` form (a command line the user
 * wrote, run by /bin/sh -c) nothing is substituted; the script reads "$CCWAVE_PROMPT_FILE".
 *
 * With `verify`, that command must also pass in the worktree after such an exit.
 */
export type CommandAdapterOptions = ({ argv: readonly string[]; shell?: undefined } | { shell: string; argv?: undefined }) & {
  env?: Record<string, string>;
  verify?: { command: string; timeoutMs: number } | undefined;
};

export function createCommandAdapter(options: CommandAdapterOptions): AgentAdapter {
  const launch = (task: AgentTask, prompt: string): LaunchSpec => {
    const files = taskFiles(task.taskDir);
    const argv = options.shell !== undefined ? ['/bin/sh', '-c', options.shell] : options.argv.map((arg) => (arg === '{prompt}' ? prompt : arg === '{promptFile}' ? files.promptFile : arg));
    if (argv.length === 0) throw new Error('command adapter: empty argv');
    return {
      argv,
      env: { ...options.env, ...ccwaveEnv(task, undefined), CCWAVE_PROMPT_FILE: files.promptFile },
      files: [{ path: files.promptFile, content: prompt }],
      hookChannel: undefined,
    };
  };
  return {
    name: 'command',
    completion: 'exit',
    screenRules: undefined,
    politeStop: { key: 'ctrlC' },
    bypassesPermissions: false,
    verify: options.verify,
    buildLaunch: (task) => launch(task, buildTaskPrompt(task)),
    // A plain command has no session to resume: it runs again, with the message appended.
    resumeLaunch: (task, message) => launch(task, `${buildTaskPrompt(task)}\n${message}\n`),
  };
}
