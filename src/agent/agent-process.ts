import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AgentAdapter, LaunchSpec } from './adapter.js';
import { HookChannel } from './hook-channel.js';
import type { HookEvent } from './hook-event.js';
import { sleep, type TimerClock } from './deadline.js';
import { PtyHost } from './pty-host.js';
import type { ScreenRules } from './screen-class.js';
import { INPUT_READY_POLL_MS, INPUT_READY_TIMEOUT_MS } from './session-timing.js';
import type { RunAgentTaskOptions } from './session-types.js';
import { taskFiles } from './task-files.js';

/**
 * Starts the agent: the adapter's preparations and files, the hook channel (before the agent, so
 * no event is missed), then the process in its PTY, in the worktree, with the user's environment.
 */
export async function launchAgent(
  options: RunAgentTaskOptions,
  resume: { message: string } | undefined,
  onHook: (event: HookEvent) => void,
): Promise<{ host: PtyHost; channel: HookChannel | undefined; spec: LaunchSpec }> {
  const { adapter, task } = options;
  await adapter.prepare?.(task);
  const spec = resume ? adapter.resumeLaunch(task, resume.message) : adapter.buildLaunch(task);
  await writeLaunchFiles(spec);
  const channel = spec.hookChannel ? new HookChannel(spec.hookChannel, onHook) : undefined;
  channel?.start();
  try {
    const host = new PtyHost({
      argv: spec.argv,
      cwd: task.worktree,
      env: { ...cleanEnv(options.baseEnv ?? process.env), ...spec.env },
      rawLogPath: taskFiles(task.taskDir).rawLog,
      ...(options.screenSize ? { size: options.screenSize } : {}),
    });
    return { host, channel, spec };
  } catch (error) {
    channel?.stop();
    throw error;
  }
}

/**
 * Ends the agent (politely when asked to, else by signals) and returns its screen as it was before
 * any exit message replaced it: what a person needs to see.
 */
export async function stopAgent(host: PtyHost, adapter: AgentAdapter, polite: boolean): Promise<string> {
  await host.screen.settled();
  const finalScreen = host.screen.snapshot();
  await host.stop(polite && adapter.politeStop ? { polite: adapter.politeStop } : {});
  return finalScreen;
}

/** Flushes the raw log, saves the final screen, frees the screen model. Returns the screen's path. */
export async function closeAgent(host: PtyHost, screenPath: string, finalScreen: string | undefined): Promise<string> {
  await host.close();
  await writeFile(screenPath, finalScreen ?? host.screen.snapshot());
  host.screen.dispose();
  return screenPath;
}

export async function writeLaunchFiles(spec: LaunchSpec): Promise<void> {
  for (const file of spec.files) {
    await mkdir(dirname(file.path), { recursive: true });
    await writeFile(file.path, file.content);
    if (file.mode !== undefined) await chmod(file.path, file.mode);
  }
}

/** node-pty wants string values only; the user's environment may hold undefined entries. */
export function cleanEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

const INPUT_READY = new Set(['idle', 'api-error', 'usage-limit']);

/** Waits until the agent shows its input box (bounded: then the caller types anyway). */
export async function waitForInputBox(host: PtyHost, rules: ScreenRules | undefined, clock: TimerClock, cancelled: () => boolean): Promise<void> {
  if (!rules) return;
  for (let waited = 0; waited < INPUT_READY_TIMEOUT_MS && !cancelled(); waited += INPUT_READY_POLL_MS) {
    await host.screen.settled();
    if (INPUT_READY.has(rules.classify(host.screen.visibleLines(), new Date(clock.now())).kind)) return;
    await sleep(clock, INPUT_READY_POLL_MS);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
