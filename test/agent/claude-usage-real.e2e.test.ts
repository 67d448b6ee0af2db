import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createClaudeAdapter } from '../../src/agent/claude/claude-adapter.js';
import { runAgentTask } from '../../src/agent/session.js';
import type { AgentResult, UsageReading } from '../../src/agent/session-types.js';
import { startFakeMessagesApi, type FakeMessagesApi, type FakeScript, type SentUsage } from '../../src/doctor/fake-messages-api.js';
import { eventLog, taskFor } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';
import { CLAUDE_BINARIES, claudeEnv, claudeHome } from '../helpers/claude-binaries.js';

/**
 * What the real Claude Code binaries report about usage, against the fake Messages API whose every
 * reply has a known usage: the tokens of a session's readings are exactly what the API sent, and
 * the cost Claude estimates carries over a `--resume`.
 */
let repo: TaskRepo | undefined;
let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  repo?.cleanup();
  api = undefined;
  repo = undefined;
});

const commitFile = (file: string) => [
  { tool: 'Write', input: { file_path: file, content: `${file}\n` } },
  { tool: 'Bash', input: { command: `git add ${file} && git commit -m "Add ${file}"`, description: 'Commit' } },
];

function sum(sent: readonly SentUsage[]) {
  const total = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
  for (const u of sent) {
    total.input += u.input_tokens;
    total.output += u.output_tokens;
    total.cacheCreation += u.cache_creation_input_tokens;
    total.cacheRead += u.cache_read_input_tokens;
  }
  return total;
}

const screenOf = (result: AgentResult): string => readFileSync(result.screenPath ?? result.rawLogPath, 'utf8');

describe.each(CLAUDE_BINARIES)('usage from real Claude Code $version', (claude) => {
  it('reports exactly the tokens the API sent, and the cost carries over a resume', async () => {
    repo = makeTaskRepo('feature-usage');
    const script: FakeScript = {
      turns: [
        [...commitFile('one.txt'), { text: 'One done.' }],
        [...commitFile('two.txt'), { text: 'Two done.' }],
      ],
    };
    api = await startFakeMessagesApi({ script });
    const home = claudeHome(join(repo.root, 'home'));
    const adapter = createClaudeAdapter({ command: [claude.path], permissionMode: 'acceptEdits', userSettingsPath: join(home, '.claude', 'settings.json') });
    const task = taskFor(repo, { taskId: 'feature-usage' });
    const run = async (resume?: string) => {
      const log = eventLog();
      const result = await runAgentTask({
        adapter,
        task,
        timeouts: { wallMs: 120_000, idleMs: 60_000 },
        baseEnv: claudeEnv(home, api?.url ?? ''),
        onEvent: log.onEvent,
        ...(resume ? { resume: { message: resume } } : {}),
      });
      const readings = log.events.flatMap((e): UsageReading[] => (e.type === 'usage' ? [e.reading] : []));
      return { result, readings };
    };

    const first = await run();
    expect(first.result.status, screenOf(first.result)).toBe('done');
    // Side calls (a title, streamed without tools) are not in the transcript: the session's tokens are its turns'.
    const mainReplies = api.usageSent.filter((u) => u.mainTurn);
    expect(mainReplies.length).toBeGreaterThanOrEqual(3);
    const firstLast = first.readings.at(-1);
    expect(firstLast?.tokens).toEqual(sum(mainReplies));
    expect(firstLast?.sessionId).toBe(task.sessionId);
    expect(firstLast?.model).toMatch(/^claude-/);
    const firstCost = firstLast?.costUsd ?? 0;
    expect(firstCost).toBeGreaterThan(0);
    expect(first.readings.filter((r) => r.firstOfLaunch)).toHaveLength(1);

    const sentBefore = api.usageSent.length;
    const second = await run('Now add two.txt and commit it.');
    expect(second.result.status, screenOf(second.result)).toBe('done');
    expect(api.usageSent.length).toBeGreaterThan(sentBefore);
    // The whole session, both launches: the transcript keeps growing in the same file.
    expect(second.readings.at(-1)?.tokens).toEqual(sum(api.usageSent.filter((u) => u.mainTurn)));
    // The resumed process's first report, before any request, already has the old cost.
    expect(second.readings.find((r) => r.firstOfLaunch)?.costUsd).toBeCloseTo(firstCost, 9);
    expect(second.readings.at(-1)?.costUsd ?? 0).toBeGreaterThan(firstCost);
  });

  it("runs the user's own status line through ccwave's and shows its output, and never the project's", async () => {
    repo = makeTaskRepo('feature-status-line');
    api = await startFakeMessagesApi({ script: { turns: [[...commitFile('one.txt'), { text: 'One done.' }]] } });
    const home = claudeHome(join(repo.root, 'home'));
    const userRan = join(repo.root, 'user-status-line-ran');
    const projectRan = join(repo.root, 'project-status-line-ran');
    mkdirSync(join(home, '.claude'), { recursive: true });
    writeFileSync(join(home, '.claude', 'settings.json'), JSON.stringify({ statusLine: { type: 'command', command: `touch '${userRan}'; echo USER-STATUS-LINE` } }));
    // A status line an agent could have committed in the project.
    mkdirSync(join(repo.worktree, '.claude'), { recursive: true });
    writeFileSync(join(repo.worktree, '.claude', 'settings.json'), JSON.stringify({ statusLine: { type: 'command', command: `touch '${projectRan}'; echo PROJECT` } }));
    repo.git('add', '.claude/settings.json');
    repo.git('commit', '-q', '-m', 'A project status line');
    const log = eventLog();
    const result = await runAgentTask({
      adapter: createClaudeAdapter({ command: [claude.path], permissionMode: 'acceptEdits', userSettingsPath: join(home, '.claude', 'settings.json') }),
      task: taskFor(repo, { taskId: 'feature-status-line' }),
      timeouts: { wallMs: 120_000, idleMs: 60_000 },
      baseEnv: claudeEnv(home, api.url),
      onEvent: log.onEvent,
    });
    expect(result.status, screenOf(result)).toBe('done');
    // ccwave's status line ran (it alone reports a cost), and it ran the user's.
    expect(log.events.some((e) => e.type === 'usage' && (e.reading.costUsd ?? 0) > 0)).toBe(true);
    expect(existsSync(userRan)).toBe(true);
    expect(readFileSync(result.rawLogPath, 'utf8')).toContain('USER-STATUS-LINE');
    expect(existsSync(projectRan)).toBe(false);
  });
});
