import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runAgentTask } from '../../src/agent/session.js';
import type { AgentEvent, UsageReading } from '../../src/agent/session-types.js';
import { eventLog, fakeAgentAdapter, taskFor } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';

let repo: TaskRepo;
afterEach(() => repo?.cleanup());

const readings = (events: AgentEvent[]): UsageReading[] => events.flatMap((e) => (e.type === 'usage' ? [e.reading] : []));
const tokens = (input: number, output: number, cacheCreation = 0, cacheRead = 0) => ({ input, output, cacheCreation, cacheRead });
const commit = [{ write: 'a.txt', content: 'a\n' }, { commit: 'Add a.txt' }];

/** A user settings file with the given `statusLine`. */
function userSettings(statusLine: unknown): string {
  const dir = join(repo.root, 'user-claude');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'settings.json');
  writeFileSync(path, JSON.stringify({ statusLine }));
  return path;
}

/** Runs (or, with `resume`, continues) one session of the fake agent, noting the last reading seen at each Stop hook. */
async function session(script: unknown, options: { resume?: string; sessionId?: string; settings?: string } = {}) {
  const log = eventLog();
  const atStop: (UsageReading | undefined)[] = [];
  const result = await runAgentTask({
    adapter: fakeAgentAdapter(repo, script, { userSettingsPath: options.settings ?? join(repo.root, 'no-user-settings.json') }),
    task: taskFor(repo, options.sessionId ? { sessionId: options.sessionId } : {}),
    timeouts: { wallMs: 60_000, idleMs: 20_000 },
    ...(options.resume ? { resume: { message: options.resume } } : {}),
    onEvent: (e) => {
      log.onEvent(e);
      if (e.type === 'hook' && e.event.hook_event_name === 'Stop') atStop.push(readings(log.events).at(-1));
    },
  });
  return { result, log, atStop, all: readings(log.events) };
}

describe('usage of an agent session', () => {
  it('sums the transcript per response, takes cost and model from the status line, and has the turn current at its Stop hook', async () => {
    repo = makeTaskRepo();
    const { result, log, atStop, all } = await session({
      turns: [{ steps: [{ usage: { input: 100, output: 20, costUsd: 0.01 } }, ...commit, { usage: { input: 50, output: 5, cacheCreation: 7, cacheRead: 300, costUsd: 0.02 } }], reply: 'Done.' }],
    });
    expect(result.status).toBe('done');
    expect(atStop[0]).toMatchObject({ sessionId: result.sessionId, tokens: tokens(150, 25, 7, 300), costUsd: 0.03, model: 'fake-model' });
    expect(all.at(-1)).toEqual(atStop[0]);
    // The launch's first status line (at start, cost 0) is marked as such, and only it.
    expect(all.filter((r) => r.firstOfLaunch)).toEqual([expect.objectContaining({ costUsd: 0 })]);
    // Status-line lines carry usage only: never a hook event, never a state change of their own.
    const hookNames = log.events.flatMap((e) => (e.type === 'hook' ? [e.event.hook_event_name] : []));
    expect(hookNames).toEqual(expect.arrayContaining(['SessionStart', 'UserPromptSubmit', 'Stop']));
    expect(hookNames).not.toContain('ccwave-status-line');
  });

  it('keeps counting the whole session across a resume, whose first report already has the old cost', async () => {
    repo = makeTaskRepo();
    const script = {
      defaultUsage: false,
      turns: [
        { steps: [{ usage: { input: 100, output: 20, costUsd: 0.25 } }, ...commit], reply: 'Done.' },
        { steps: [{ usage: { input: 10, output: 2, costUsd: 0.5 } }, { write: 'b.txt', content: 'b\n' }, { commit: 'Add b.txt' }], reply: 'More done.' },
      ],
    };
    const first = await session(script);
    expect(first.all.at(-1)).toMatchObject({ tokens: tokens(100, 20), costUsd: 0.25 });
    const second = await session(script, { resume: 'Go on.', sessionId: first.result.sessionId });
    expect(second.all.find((r) => r.firstOfLaunch)).toMatchObject({ costUsd: 0.25 });
    expect(second.all.at(-1)).toMatchObject({ tokens: tokens(110, 22), costUsd: 0.75 });
  });

  it("waits for the status line a finished turn still owes before ending the session, so the launch's last cost is not lost", async () => {
    repo = makeTaskRepo();
    const { result, all } = await session({ statusLineDelayMs: 1_500, turns: [{ steps: [...commit], reply: 'Done.' }] });
    expect(result.status).toBe('done');
    expect(all.at(-1)).toMatchObject({ tokens: tokens(1200, 350, 2000, 8000), costUsd: 0.03 });
  });

  it('reports a default usage when the script gives none, and the rate-limit windows it is given', async () => {
    repo = makeTaskRepo();
    const before = Date.now();
    const { all } = await session({ turns: [{ steps: [{ rateLimits: { fiveHour: 96.5, resetInSec: 120, sevenDay: 40 } }, ...commit], reply: 'Done.' }] });
    const last = all.at(-1);
    expect(last?.tokens).toEqual(tokens(1200, 350, 2000, 8000));
    expect(last?.costUsd).toBeGreaterThan(0);
    expect(last?.rateLimits?.fiveHour?.usedPercentage).toBe(96.5);
    expect(last?.rateLimits?.sevenDay?.usedPercentage).toBe(40);
    const resetsAt = Date.parse(last?.rateLimits?.fiveHour?.resetsAt ?? '');
    expect(resetsAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 119_000);
    expect(resetsAt).toBeLessThanOrEqual(Date.now() + 121_000);
  });

  it("runs the user's own status line after recording and shows what it printed", async () => {
    repo = makeTaskRepo();
    const seen = join(repo.root, 'status-stdin.json');
    const settings = userSettings({ type: 'command', command: `cat > '${seen}'; echo "my line: $(pwd)"` });
    const { result, all } = await session({ turns: [{ steps: [{ usage: { input: 5, output: 6, costUsd: 0.125 } }, ...commit, { work: 300 }], reply: 'Done.' }] }, { settings });
    expect(result.status).toBe('done');
    expect(all.at(-1)?.tokens).toEqual(tokens(5, 6));
    expect(readFileSync(result.screenPath ?? '', 'utf8')).toContain(`my line: ${repo.worktree}`);
    // It got Claude's status JSON as is.
    expect(JSON.parse(readFileSync(seen, 'utf8'))).toMatchObject({ session_id: result.sessionId, cost: { total_cost_usd: 0.125 } });
  });
});
