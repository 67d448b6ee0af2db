import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi, type FakeScript } from '../../src/doctor/fake-messages-api.js';
import { createClaudeAdapter } from '../../src/agent/claude/claude-adapter.js';
import { askClaudeAboutMode, permissionModeProblem } from '../../src/agent/claude/permission-modes.js';
import { runAgentTask } from '../../src/agent/session.js';
import type { AgentPolicy } from '../../src/agent/session-types.js';
import { MESSAGES } from '../../src/agent/turn-policy.js';
import { eventLog, taskFor } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';
import { processGroupMembers } from './helpers/processes.js';
import { waitFor } from './helpers/wait.js';
import { CLAUDE_BINARIES, claudeEnv, claudeHome, type ClaudeBinary } from '../helpers/claude-binaries.js';

/**
 * The real Claude Code binaries (pinned and newest, from devDependencies) in a real PTY, against
 * the fake Messages API whose scripted replies make them use real tools: the folder-trust dialog is
 * answered on screen, the Write tool writes, the Bash tool commits, hooks report the turn's end.
 */
let repo: TaskRepo | undefined;
let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  repo?.cleanup();
  api = undefined;
  repo = undefined;
});

/** One task with the real binary: onboarding done and the key approved, the worktree NOT pre-trusted. */
async function runClaude(claude: ClaudeBinary, name: string, script: FakeScript, policy: Partial<AgentPolicy> = {}) {
  repo = makeTaskRepo(name);
  api = await startFakeMessagesApi({ script });
  const home = claudeHome(join(repo.root, 'home'));
  const log = eventLog();
  const result = await runAgentTask({
    adapter: createClaudeAdapter({ command: [claude.path], permissionMode: 'acceptEdits' }),
    task: taskFor(repo, { taskId: name }),
    timeouts: { wallMs: 120_000, idleMs: 60_000 },
    policy,
    baseEnv: claudeEnv(home, api.url),
    onEvent: log.onEvent,
  });
  const launch = log.events.find((e) => e.type === 'launch');
  const pgid = launch?.type === 'launch' ? launch.pid : -1;
  return { repo, api, result, log, pgid };
}

const commitHello = (file: string, message: string) => [
  { tool: 'Write', input: { file_path: file, content: 'hello from claude\n' } },
  { tool: 'Bash', input: { command: `git add ${file} && git commit -m "${message}"`, description: 'Commit' } },
];

describe.each(CLAUDE_BINARIES)('real Claude Code $version in a PTY', (claude) => {
  it('answers the trust dialog, writes and commits with tools, ends on the Stop hook', async () => {
    const { repo, api, result, log, pgid } = await runClaude(claude, 'feature-hello', {
      turns: [[...commitHello('hello.txt', 'Add hello.txt'), { text: 'Done: hello.txt is written and committed.' }]],
    });
    expect(result, readFileSync(result.screenPath ?? result.rawLogPath, 'utf8')).toMatchObject({
      status: 'done',
      lastMessage: 'Done: hello.txt is written and committed.',
    });
    expect(log.actions()).toContain('dialog: trust dialog: accepted');
    const hooks = log.events.flatMap((e) => (e.type === 'hook' ? [e.event.hook_event_name] : []));
    expect(hooks).toEqual(expect.arrayContaining(['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd']));
    expect(result.transcriptPath).toMatch(/\.claude\/projects\/.+\.jsonl$/);
    expect(readFileSync(join(repo.worktree, 'hello.txt'), 'utf8')).toBe('hello from claude\n');
    expect(result.commits).toHaveLength(1);
    expect(repo.git('log', '-1', '--format=%s', repo.branch)).toBe('Add hello.txt');
    expect(repo.git('status', '--porcelain')).toBe('');
    // The prompt carried ccwave's instructions.
    const main = api.requests.find((r) => Array.isArray(r.body['tools']));
    expect(JSON.stringify(main?.body)).toContain('nobody will answer questions');
    await waitFor(() => processGroupMembers(pgid).length === 0, 10_000, 'claude gone');
  });

  it('denies a permission prompt by policy, tells the agent, and the agent finishes another way', async () => {
    const { repo, result, log } = await runClaude(
      claude,
      'feature-deny',
      {
        turns: [
          [{ tool: 'Bash', input: { command: 'node -e "console.log(42)"', description: 'Print 42' } }, { text: 'Printed.' }],
          [...commitHello('bye.txt', 'Add bye.txt'), { text: 'Done without node.' }],
        ],
      },
      { permission: 'deny' },
    );
    expect(result, readFileSync(result.screenPath ?? result.rawLogPath, 'utf8')).toMatchObject({
      status: 'done',
      lastMessage: 'Done without node.',
    });
    expect(log.actions()).toContain('dialog: permission denied: Do you want to proceed?');
    expect(log.actions()).toContain(`input: ${MESSAGES.denied}`);
    expect(repo.git('log', '-1', '--format=%s', repo.branch)).toBe('Add bye.txt');
  });

  it('says which permission modes it has: a mode it lacks is refused with the list it gave', async () => {
    for (const mode of ['acceptEdits', 'auto', 'manual', 'default', 'dontAsk']) {
      expect(await askClaudeAboutMode([claude.path], mode), mode).toEqual({ kind: 'accepted', version: claude.version });
    }
    expect(await askClaudeAboutMode([claude.path], 'acceptEdit')).toEqual({
      kind: 'refused',
      choices: expect.arrayContaining(['acceptEdits', 'auto', 'plan']),
    });
    expect(await permissionModeProblem([claude.path], 'acceptEdit')).toEqual({
      message: expect.stringMatching(/^the installed Claude Code \(.+\) has no permission mode "acceptEdit"; it has acceptEdits, /),
      hint: 'did you mean `acceptEdits`?',
    });
  });
});
