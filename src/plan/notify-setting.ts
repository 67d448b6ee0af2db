import { z } from 'zod';

/** What a person can be told about, each one selectable in `notify.events`. */
export const NOTIFY_EVENTS = [
  'task-failed',
  'task-conflict',
  'task-waiting',
  'task-over-budget',
  'usage-paused',
  'usage-resumed',
  'wave-finished',
  'run-finished',
  'run-failed',
  'run-interrupted',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** Where notifications go and which ones; webhooks stay templates until the moment they are sent. */
export interface NotifySettings {
  command: string | undefined;
  /** As written: a `${NAME}` in one is read from the environment only when sending. */
  webhooks: string[];
  events: NotifyEvent[];
}

/** `${NAME}`: an environment variable's value, put in when sending. */
const PLACEHOLDER = /\$\{([^}]*)\}?/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Only the URL's scheme and authority: the part before its path, query or fragment. */
const AUTHORITY = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/?#]*)/;

/** Why a webhook template is not usable, if it is not. Never repeats the value: it may hold a secret. */
function webhookProblem(template: string): string | undefined {
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!match[0].endsWith('}') || !ENV_NAME.test(match[1]!)) return '`${` must be followed by an environment variable name and `}`, like ${SLACK_WEBHOOK_URL}';
  }
  // The whole URL may come from the environment; otherwise its scheme must be written out.
  if (/^\$\{[^}]+\}/.test(template)) return undefined;
  const sample = template.replace(PLACEHOLDER, 'x');
  let url: URL;
  try {
    url = new URL(sample);
  } catch {
    return 'it is not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `its scheme is ${url.protocol.replace(/:$/, '')}, not http or https`;
  return undefined;
}

/** The environment variables a webhook template reads. */
export function templateNames(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/**
 * The URL to send to, or why there is none. Each `${NAME}` is put in from `env` here and only
 * here, so the value never reaches the settings, the journal or a message.
 */
export function expandWebhook(template: string, env: NodeJS.ProcessEnv): { url: string } | { missing: string } {
  for (const name of templateNames(template)) {
    if (!env[name]) return { missing: name };
  }
  return { url: template.replace(PLACEHOLDER, (_, name: string) => env[name]!) };
}

/**
 * How a webhook is named wherever it is shown: its host as written (`hooks.slack.com`, or
 * `${SLACK_WEBHOOK_URL}` when the environment gives all of it), never its path, query or
 * credentials, where a webhook keeps its secret.
 */
export function webhookLabel(template: string): string {
  const authority = AUTHORITY.exec(template)?.[1] ?? '';
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  return host || 'webhook';
}

/**
 * A webhook written out with a path or query (where Slack and Mattermost keep a hook's secret)
 * instead of `${NAME}`: the plan, and the run's journal with its settings, then hold it.
 */
export function writtenOutWebhooks(settings: NotifySettings | undefined): string[] {
  return (settings?.webhooks ?? []).filter((template) => {
    if (templateNames(template).length > 0) return false;
    try {
      const url = new URL(template);
      return url.pathname.length > 1 || url.search.length > 0 || url.password.length > 0;
    } catch {
      return false;
    }
  });
}

const webhookUrl = z
  .string()
  .min(1)
  .superRefine((value, ctx) => {
    const problem = webhookProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The `notify` run setting as written in WAVES.md. */
export const notifySchema = z
  .strictObject({
    command: z.string().min(1).optional(),
    webhook: z.union([webhookUrl, z.array(webhookUrl).min(1)]).optional(),
    events: z.array(z.enum(NOTIFY_EVENTS)).min(1).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.command === undefined && value.webhook === undefined) ctx.addIssue({ code: 'custom', message: 'says where to send nothing: give it a command, a webhook or both' });
  });

export const NOTIFY_EXPECTED: Record<string, string> = {
  notify: 'a map like { command: ./notify.sh, webhook: "${SLACK_WEBHOOK_URL}", events: [task-failed, run-finished] }',
  'notify.command': 'a shell command',
  'notify.webhook': 'an http(s) URL or a list of them; write a secret one as ${NAME} to read it from the environment when sending',
  'notify.events': `a list of events: ${NOTIFY_EVENTS.join(', ')}`,
};

/** The setting as a run uses it: every event unless some are chosen. */
export function normalizeNotify(raw: z.output<typeof notifySchema>): NotifySettings {
  const webhooks = raw.webhook === undefined ? [] : typeof raw.webhook === 'string' ? [raw.webhook] : [...raw.webhook];
  return { command: raw.command, webhooks, events: raw.events ? [...new Set(raw.events)] : [...NOTIFY_EVENTS] };
}

/** For `ccwave validate`: webhooks by their host only, as everywhere else. */
export function formatNotify(settings: NotifySettings): string {
  const parts: string[] = [];
  if (settings.command) parts.push(`command: ${settings.command}`);
  if (settings.webhooks.length) parts.push(`webhook: ${settings.webhooks.map(webhookLabel).join(', ')}`);
  parts.push(`events: ${settings.events.length === NOTIFY_EVENTS.length ? 'all' : settings.events.join(', ')}`);
  return parts.join(', ');
}
