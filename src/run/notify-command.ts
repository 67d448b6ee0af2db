import { spawn } from 'node:child_process';
import { GROUP_KILL_GRACE_MS, groupIdentity, groupSurvives, signalGroup } from '../process/process-group.js';
import type { Notification } from './notify-message.js';

/** Enough of a failing command's error output to say why in one line. */
const ERROR_TAIL_BYTES = 2048;
/** An environment variable holds no NUL and need not hold a whole command output. */
const MAX_ENV_VALUE = 4096;

/** The environment variables a notify command gets, beside the notification as JSON on stdin. */
const NOTIFY_ENV: Record<string, (n: Notification) => string | number | undefined> = {
  CCWAVE_EVENT: (n) => n.event,
  CCWAVE_TEXT: (n) => n.text,
  CCWAVE_RUN_ID: (n) => n.runId,
  CCWAVE_PLAN: (n) => n.plan,
  CCWAVE_TASK: (n) => n.task,
  CCWAVE_WAVE: (n) => n.wave,
  CCWAVE_STATUS: (n) => n.status,
  CCWAVE_REASON: (n) => n.reason,
  CCWAVE_EXIT_CODE: (n) => n.exitCode,
  CCWAVE_UNTIL: (n) => n.until,
};

/** `env` with this notification's variables, and none left over from ccwave's own environment. */
function notifyEnv(notification: Notification, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  for (const [name, value] of Object.entries(NOTIFY_ENV)) {
    const v = value(notification);
    if (v === undefined) delete out[name];
    else out[name] = String(v).replaceAll('\0', '').slice(0, MAX_ENV_VALUE);
  }
  return out;
}

/**
 * Runs the user's notify command (their own command line, through the shell) in the repository
 * root with the notification as JSON on stdin. Resolves when it exits 0; rejects with why not.
 * On `signal` (its time is up, or the run ends) its process group is ended: SIGTERM, then
 * SIGKILL after the usual grace, and the promise rejects at once rather than wait for that.
 */
export function runNotifyCommand(command: string, cwd: string, notification: Notification, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('not started'));
    // detached: its own process group, so everything it starts can be ended with it.
    const child = spawn('sh', ['-c', command], { cwd, env: notifyEnv(notification, env), stdio: ['pipe', 'ignore', 'pipe'], detached: true });
    const group = child.pid !== undefined ? groupIdentity(child.pid) : undefined;
    const endGroup = (): void => {
      if (!group || !groupSurvives(group)) return;
      signalGroup(group.pid, 'SIGTERM');
      setTimeout(() => {
        if (groupSurvives(group)) signalGroup(group.pid, 'SIGKILL');
      }, GROUP_KILL_GRACE_MS).unref();
    };
    let tail = Buffer.alloc(0);
    child.stderr.on('data', (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > ERROR_TAIL_BYTES) tail = tail.subarray(tail.length - ERROR_TAIL_BYTES);
    });
    // A command that does not read its stdin closes it early: not an error.
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${JSON.stringify(notification)}\n`);
    const onAbort = (): void => {
      endGroup();
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('exit', (code, killedBy) => {
      signal.removeEventListener('abort', onAbort);
      // A process it left behind would hold on for ever: it goes with the command, as with test and setup.
      endGroup();
      child.stderr.destroy();
      if (code === 0) return resolve();
      const lastLine = tail.toString('utf8').trim().split('\n').at(-1) ?? '';
      reject(new Error(`${code === null ? `killed by ${killedBy}` : `exit ${code}`}${lastLine ? `: ${lastLine}` : ''}`));
    });
  });
}
