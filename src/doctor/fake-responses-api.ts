/**
 * A fake OpenAI Responses API, so the REAL Codex CLI can run offline and do real work, as the fake
 * Messages API does for Claude Code.
 *
 * Point Codex at it with a provider in its config: `base_url = "http://127.0.0.1:<port>/v1"`,
 * `wire_api = "responses"`, `env_key` naming any variable that is set. Codex POSTs `/v1/responses`
 * and streams the answer (SSE); the TUI's parallel request without tools names the session, and is
 * answered `{"title":"…"}`.
 *
 * Script: `{ turns: [ [step, step, ...], ... ] }`. A turn is what the model does after one user
 * message; each step is one model reply:
 *   { cmd: 'git add -A && git commit -qm x' }     an `exec_command` call, run by Codex in its cwd
 *   { text: 'All done.' }                         final answer: ends the turn
 *   { error: 429, body: {...}, headers: {...} }   an HTTP error instead of a reply (the JSON body
 *                                                 as given, by default {"error":{"message":…}})
 * Any step may add `delayMs: 3000` to answer late (to see the busy screen).
 * The reply is chosen from the conversation itself (turn = user messages with words of the user's,
 * step = replies since), so the server is stateless and serves many sessions; a script given
 * as a function of the request can pick one per session (e.g. by `workingDirectory(body)`). Past the
 * end of the script it answers "Nothing more to do." for a turn.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isRecord } from '../is-record.js';
import { startFakeApiServer, type FakeApiBody, type FakeApiWait } from './fake-api-server.js';

const NOTHING_MORE: FakeResponsesStep = { text: 'Nothing more to do.' };
const DEFAULT_SCRIPT: FakeResponsesScript = { turns: [[NOTHING_MORE]] };
const TITLE = 'Fake session';
/** Every reply's usage: fixed, so a test can tell exactly what a client must have summed. */
const INPUT_TOKENS = 200;
const CACHED_TOKENS = 80;
const OUTPUT_TOKENS = 40;
const REASONING_TOKENS = 10;
/**
 * Codex wraps what it adds to a conversation in tags; such messages are not the user's words. A
 * blocked stop's reason (`<hook_prompt …>`) is: it starts the script's next turn, as it does in the
 * fake Messages API.
 */
const CONTEXT_MESSAGE = /^\s*<(environment_context|user_instructions|permissions instructions|turn_aborted|user_shell_command)\b/;

export type FakeResponsesStep =
  { cmd: string; delayMs?: number } | { text: string; delayMs?: number } | { error: number; body?: Record<string, unknown>; headers?: Record<string, string>; delayMs?: number };

export interface FakeResponsesScript {
  turns: FakeResponsesStep[][];
}

export type ResponsesRequestBody = FakeApiBody;

export interface RecordedResponsesRequest {
  method: string | undefined;
  url: string | undefined;
  body: ResponsesRequestBody;
}

/** The usage one reply reported, as Codex receives it. */
export interface SentResponsesUsage {
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  reasoning_tokens: number;
  /** A main-turn reply (with tools), not the session-title side call. */
  mainTurn: boolean;
  /** The session's cwd, from its <environment_context> message. */
  workingDirectory: string | undefined;
  /** Codex's `prompt_cache_key`: its session id. */
  sessionId: string | undefined;
}

export interface FakeResponsesApi {
  /** The base URL a Codex provider takes (ends in `/v1`). */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: RecordedResponsesRequest[];
  /** The usage of every reply sent, in order. */
  usageSent: SentResponsesUsage[];
  close(): Promise<void>;
}

/** One script for every session, or a script chosen per request (e.g. by its working directory). */
export type ResponsesScriptSource = FakeResponsesScript | ((body: ResponsesRequestBody) => FakeResponsesScript);

export interface FakeResponsesApiOptions {
  script?: ResponsesScriptSource;
  port?: number;
}

export async function startFakeResponsesApi(options: FakeResponsesApiOptions = {}): Promise<FakeResponsesApi> {
  const requests: RecordedResponsesRequest[] = [];
  const usageSent: SentResponsesUsage[] = [];
  let responses = 0;
  const server = await startFakeApiServer(options.port, (req, res, body, wait) => {
    requests.push({ method: req.method, url: req.url, body });
    const id = `resp_${++responses}`;
    return route(req, res, body, id, options.script ?? DEFAULT_SCRIPT, wait, usageSent);
  });
  return { url: `http://127.0.0.1:${server.port}/v1`, port: server.port, requests, usageSent, close: server.close };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  body: ResponsesRequestBody,
  id: string,
  script: ResponsesScriptSource,
  wait: FakeApiWait,
  usageSent: SentResponsesUsage[],
): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'POST' || path !== '/v1/responses') return sendJson(res, 404, {});
  const tools = body['tools'];
  const isMainTurn = Array.isArray(tools) && tools.length > 0;
  const step = isMainTurn ? pickStep(body, typeof script === 'function' ? script(body) : script) : { text: JSON.stringify({ title: TITLE }) };
  if (step.delayMs) await wait(step.delayMs);
  if (res.destroyed) return;
  if ('error' in step) return sendJson(res, step.error, step.body ?? { error: { message: 'error' } }, step.headers);
  const item =
    'cmd' in step
      ? { type: 'function_call', id: `fc_${id}`, call_id: `call_${id}`, name: 'exec_command', arguments: JSON.stringify({ cmd: step.cmd }) }
      : { type: 'message', role: 'assistant', id: `msg_${id}`, content: [{ type: 'output_text', text: step.text }] };
  const prompt = body['prompt_cache_key'];
  usageSent.push({
    input_tokens: INPUT_TOKENS,
    cached_tokens: CACHED_TOKENS,
    output_tokens: OUTPUT_TOKENS,
    reasoning_tokens: REASONING_TOKENS,
    mainTurn: isMainTurn,
    workingDirectory: workingDirectory(body),
    sessionId: typeof prompt === 'string' ? prompt : undefined,
  });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: string, data: Record<string, unknown>): void => void res.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...data })}\n\n`);
  send('response.created', { response: { id } });
  send('response.output_item.done', { output_index: 0, item });
  const usage = {
    input_tokens: INPUT_TOKENS,
    input_tokens_details: { cached_tokens: CACHED_TOKENS },
    output_tokens: OUTPUT_TOKENS,
    output_tokens_details: { reasoning_tokens: REASONING_TOKENS },
    total_tokens: INPUT_TOKENS + OUTPUT_TOKENS,
  };
  send('response.completed', { response: { id, usage } });
  res.end();
}

/** Chooses the reply from the conversation: turn = the user's messages so far, step = replies since. */
function pickStep(body: ResponsesRequestBody, script: FakeResponsesScript): FakeResponsesStep {
  let turn = -1;
  let step = 0;
  for (const item of inputOf(body)) {
    if (item['role'] === 'user' && isUserWords(item)) {
      if (step > 0 || turn < 0) turn += 1;
      step = 0;
    } else if (item['type'] === 'function_call' || item['role'] === 'assistant') {
      step += 1;
    }
  }
  const steps = script.turns[Math.max(turn, 0)];
  if (!steps) return NOTHING_MORE;
  return steps[step] ?? NOTHING_MORE;
}

/** A user message with words of the user's, not one of the context blocks Codex adds. */
function isUserWords(item: Record<string, unknown>): boolean {
  return textsOf(item).some((text) => !CONTEXT_MESSAGE.test(text));
}

/** The session's directory: Codex names it in `<environment_context><cwd>…</cwd>`. */
export function workingDirectory(body: ResponsesRequestBody): string | undefined {
  for (const item of inputOf(body)) {
    for (const text of textsOf(item)) {
      const match = /<environment_context>[\s\S]*?<cwd>([^<]+)<\/cwd>/.exec(text);
      if (match) return match[1];
    }
  }
  return undefined;
}

function textsOf(item: Record<string, unknown>): string[] {
  const content = item['content'];
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  return content.flatMap((c: unknown) => (isRecord(c) && typeof c['text'] === 'string' ? [c['text']] : []));
}

function inputOf(body: ResponsesRequestBody): Record<string, unknown>[] {
  const input = body['input'];
  return Array.isArray(input) ? input.filter(isRecord) : [];
}

function sendJson(res: ServerResponse, status: number, data: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(data);
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
