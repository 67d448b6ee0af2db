import { systemClock, type TimerClock } from '../agent/deadline.js';
import type { RunRecorder } from '../journal/recorder.js';
import { expandWebhook, webhookLabel, type NotifySettings } from '../plan/notify-setting.js';
import { runNotifyCommand } from './notify-command.js';
import { notificationFor } from './notify-message.js';
import { NotifyQueue, type NotifyTarget, type NotifyTiming } from './notify-queue.js';
import { postWebhook } from './notify-webhook.js';

/**
 * A receiver answers a small POST within seconds or is not going to. `CCWAVE_NOTIFY_TIMEOUT_MS`
 * sets another time for one try (tests use a short one).
 */
const ATTEMPT_MS = positiveInteger(process.env.CCWAVE_NOTIFY_TIMEOUT_MS) ?? 10_000;
/** A receiver that hiccuped (a restart, a 502 from its proxy) gets a moment before the retry. */
const RETRY_DELAY_MS = Math.min(1_000, ATTEMPT_MS);

/**
 * The run's end waits long enough for its last notification's try and retry (`run-finished` is
 * the one a person waits for), and no longer.
 */
export const NOTIFY_TIMING: NotifyTiming = { attemptMs: ATTEMPT_MS, retryDelayMs: RETRY_DELAY_MS, endWaitMs: 2 * ATTEMPT_MS + RETRY_DELAY_MS };

/** A long command is named by its start in messages. */
const COMMAND_LABEL_CHARS = 60;

export interface RunNotifier {
  /** Stops listening and waits (a bounded time, or until `now` aborts) for the deliveries under way. */
  close(now?: AbortSignal): Promise<void>;
}

export interface NotifierOptions {
  /** The repository root: the notify command runs there. */
  root: string;
  /** Where `${NAME}` in a webhook and the command's environment come from. */
  env?: NodeJS.ProcessEnv;
  timing?: NotifyTiming;
  clock?: TimerClock;
}

/**
 * Listens to the run's events and tells the `notify` setting's command and webhooks about those
 * it selects, in the background. A delivery that fails after its retry is journaled as
 * `notify-failed`, once per target. Undefined when nobody is to be told anything.
 */
export function startNotifier(settings: NotifySettings | undefined, recorder: RunRecorder, options: NotifierOptions): RunNotifier | undefined {
  if (!settings) return undefined;
  const env = options.env ?? process.env;
  const targets: NotifyTarget[] = [];
  if (settings.command) {
    const command = settings.command;
    targets.push({ label: commandLabel(command), send: (n, signal) => runNotifyCommand(command, options.root, n, env, signal) });
  }
  for (const template of settings.webhooks) {
    targets.push({ label: webhookHost(template, env), send: (n, signal) => postWebhook(template, n, env, signal) });
  }
  if (targets.length === 0) return undefined;
  const queue = new NotifyQueue(targets, (failure) => recorder.record({ type: 'notify-failed', ...failure }), options.timing ?? NOTIFY_TIMING, options.clock ?? systemClock);
  const selected = new Set(settings.events);
  const unsubscribe = recorder.subscribe((event, state) => {
    const notification = notificationFor(event, state);
    if (notification && selected.has(notification.event)) queue.send(notification);
  });
  return {
    close: async (now) => {
      unsubscribe();
      await queue.close(now);
    },
  };
}

/** The host the webhook goes to, also when the environment gives all of its URL; never more of it. */
function webhookHost(template: string, env: NodeJS.ProcessEnv): string {
  const expanded = expandWebhook(template, env);
  if ('url' in expanded) {
    try {
      const host = new URL(expanded.url).host;
      if (host) return host;
    } catch {
      // Reported when sending; named as written meanwhile.
    }
  }
  return webhookLabel(template);
}

function commandLabel(command: string): string {
  const flat = command.replace(/\s+/g, ' ').trim();
  return flat.length > COMMAND_LABEL_CHARS ? `${flat.slice(0, COMMAND_LABEL_CHARS - 1)}…` : flat;
}

function positiveInteger(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}
