import { afterEach, describe, expect, it } from 'vitest';
import { startFakeResponsesApi, workingDirectory, type FakeResponsesApi, type ResponsesRequestBody } from '../../src/doctor/fake-responses-api.js';

/** The fake Responses API over real HTTP, asked as Codex asks it (bodies shaped like 0.171's). */
let api: FakeResponsesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const TOOLS = [{ type: 'function', name: 'exec_command' }];
const text = (role: string, words: string) => ({ type: 'message', role, content: [{ type: role === 'assistant' ? 'output_text' : 'input_text', text: words }] });
const context = (cwd: string) => text('user', `<environment_context>\n  <cwd>${cwd}</cwd>\n  <shell>bash</shell>\n</environment_context>`);
const call = { type: 'function_call', name: 'exec_command', arguments: '{"cmd":"true"}', call_id: 'c1' };
const output = { type: 'function_call_output', call_id: 'c1', output: 'ok' };

function body(input: unknown[], extra: ResponsesRequestBody = {}): ResponsesRequestBody {
  return { model: 'gpt-5-codex', input: [text('developer', 'You are Codex.'), ...input], tools: TOOLS, stream: true, prompt_cache_key: 'sess-1', ...extra };
}

/** Posts like Codex and reads the SSE answer into its events. */
async function post(url: string, payload: ResponsesRequestBody): Promise<{ status: number; events: { event: string; data: Record<string, unknown> }[]; raw: string; headers: Headers }> {
  const res = await fetch(`${url}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
  const raw = await res.text();
  const events = [...raw.matchAll(/^event: (\S+)\ndata: (.+)$/gm)].map((m) => ({ event: m[1]!, data: JSON.parse(m[2]!) as Record<string, unknown> }));
  return { status: res.status, events, raw, headers: res.headers };
}

const itemOf = (events: { event: string; data: Record<string, unknown> }[]) => events.find((e) => e.event === 'response.output_item.done')?.data['item'];

describe('fake Responses API', () => {
  it('answers each step of a turn from the conversation alone, then ends it with text', async () => {
    api = await startFakeResponsesApi({ script: { turns: [[{ cmd: 'git commit -qm x' }, { text: 'Done.' }], [{ text: 'Second turn.' }]] } });
    const first = await post(api.url, body([context('/w'), text('user', 'Do it')]));
    expect(first.status).toBe(200);
    expect(first.events.map((e) => e.event)).toEqual(['response.created', 'response.output_item.done', 'response.completed']);
    expect(itemOf(first.events)).toMatchObject({ type: 'function_call', name: 'exec_command', arguments: '{"cmd":"git commit -qm x"}' });
    expect(first.events[2]!.data['response']).toMatchObject({ usage: { input_tokens: 200, input_tokens_details: { cached_tokens: 80 }, output_tokens: 40 } });
    const second = await post(api.url, body([context('/w'), text('user', 'Do it'), call, output]));
    expect(itemOf(second.events)).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done.' }] });
    // A blocked stop's reason is a new user message: the next turn.
    const third = await post(api.url, body([context('/w'), text('user', 'Do it'), call, output, text('assistant', 'Done.'), text('user', '<hook_prompt hook_run_id="stop:1">fix it</hook_prompt>')]));
    expect(itemOf(third.events)).toMatchObject({ content: [{ text: 'Second turn.' }] });
    const past = await post(api.url, body([context('/w'), text('user', 'a'), text('assistant', 'b'), text('user', 'c'), text('assistant', 'd'), text('user', 'e')]));
    expect(itemOf(past.events)).toMatchObject({ content: [{ text: 'Nothing more to do.' }] });
    expect(api.usageSent).toHaveLength(4);
    expect(api.usageSent[0]).toEqual({ input_tokens: 200, cached_tokens: 80, output_tokens: 40, reasoning_tokens: 10, mainTurn: true, workingDirectory: '/w', sessionId: 'sess-1' });
  });

  it('names the session when asked without tools, and says that call is not a main turn', async () => {
    api = await startFakeResponsesApi({ script: { turns: [[{ cmd: 'never' }]] } });
    const title = await post(api.url, body([context('/w'), text('user', 'Generate a concise title')], { tools: [], text: { format: { type: 'json_schema' } } }));
    const item = itemOf(title.events) as { content: { text: string }[] };
    expect(JSON.parse(item.content[0]!.text)).toEqual({ title: 'Fake session' });
    expect(api.usageSent.map((u) => u.mainTurn)).toEqual([false]);
  });

  it('serves a script per session, chosen by its working directory', async () => {
    api = await startFakeResponsesApi({ script: (b) => ({ turns: [[{ text: `in ${workingDirectory(b) ?? '?'}` }]] }) });
    for (const cwd of ['/wt/a', '/wt/b']) {
      const answer = await post(api.url, body([context(cwd), text('user', 'go')]));
      expect(itemOf(answer.events)).toMatchObject({ content: [{ text: `in ${cwd}` }] });
    }
    expect(api.requests.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/v1/responses'],
      ['POST', '/v1/responses'],
    ]);
  });

  it('sends an HTTP error with the body and headers a step gives, and counts no usage for it', async () => {
    const limit = { error: { type: 'usage_limit_reached', message: 'You have hit your usage limit', resets_in_seconds: 600 } };
    api = await startFakeResponsesApi({ script: { turns: [[{ error: 429, body: limit, headers: { 'retry-after': '600' } }]] } });
    const answer = await post(api.url, body([context('/w'), text('user', 'go')]));
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('600');
    expect(JSON.parse(answer.raw)).toEqual(limit);
    expect(api.usageSent).toEqual([]);
    const other = await fetch(`${api.url}/models`);
    expect(other.status).toBe(404);
  });
});
