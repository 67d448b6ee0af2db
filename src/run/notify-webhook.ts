import http from 'node:http';
import https from 'node:https';
import { packageVersion } from '../package-version.js';
import { expandWebhook, templateNames, webhookLabel } from '../plan/notify-setting.js';
import type { Notification } from './notify-message.js';

/**
 * Posts the notification as JSON to the webhook `template` names, its `${NAME}`s put in from
 * `env` just now. Resolves on a 2xx answer; rejects with a message that names the host at most:
 * the URL's path, query and the environment's values (where a webhook's secret is) never reach
 * an error, the journal or the screen.
 */
export async function postWebhook(template: string, notification: Notification, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<void> {
  const expanded = expandWebhook(template, env);
  if ('missing' in expanded) throw new Error(`environment variable ${expanded.missing} is not set`);
  const secrets = [expanded.url, ...templateNames(template).map((name) => env[name]!)].filter((s) => s.length > 0);
  let url: URL;
  try {
    url = new URL(expanded.url);
  } catch {
    throw new Error('its URL is not valid once the environment is put in');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`its URL's scheme is not http or https once the environment is put in`);
  try {
    const status = await post(url, JSON.stringify(notification), signal);
    if (status < 200 || status > 299) throw new Error(`answered ${status}`);
  } catch (error) {
    // Without the original as its cause: that one may name the URL, secret and all.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(redact(describe(error), secrets, webhookLabel(expanded.url)));
  }
}

function post(url: URL, body: string, signal: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': `ccwave/${packageVersion()}` },
        // A connection of its own, closed after: nothing of it keeps ccwave alive at the end.
        agent: false,
        signal,
      },
      (response) => {
        // The answer's body is not needed; redirects are not followed (the body would go elsewhere).
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A connection error's code says it best ("ECONNREFUSED"); its message may hold the address. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && code !== 'ABORT_ERR' ? `${code}: ${error.message}` : error.message;
}

function redact(text: string, secrets: string[], label: string): string {
  let out = text;
  // Longest first: the whole URL before the values it was built from.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.replaceAll(secret, label);
  return out;
}
