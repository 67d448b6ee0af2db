import { join } from 'node:path';

/** Where ccwave keeps one task's files inside its task folder. */
export function taskFiles(taskDir: string) {
  return {
    hookChannel: join(taskDir, 'hooks.jsonl'),
    hookScript: join(taskDir, 'ccwave-hook.mjs'),
    hookConfig: join(taskDir, 'hook-config.json'),
    statusLineScript: join(taskDir, 'ccwave-status-line.mjs'),
    statusLineConfig: join(taskDir, 'status-line-config.json'),
    claudeSettings: join(taskDir, 'claude-settings.json'),
    promptFile: join(taskDir, 'prompt.md'),
    rawLog: join(taskDir, 'pty.log'),
    finalScreen: join(taskDir, 'screen-final.txt'),
  };
}

/**
 * The variables every agent process gets, so hooks and scripts can tell which task they serve. Its
 * children inherit them, which is also how ccwave finds the processes an agent left behind.
 */
export function ccwaveEnv(task: { taskId: string; runId: string; worktree: string }, hookChannel: string | undefined): Record<string, string> {
  return {
    CCWAVE_TASK_ID: task.taskId,
    CCWAVE_RUN_ID: task.runId,
    CCWAVE_WORKTREE: task.worktree,
    ...(hookChannel ? { CCWAVE_HOOK_CHANNEL: hookChannel } : {}),
  };
}
