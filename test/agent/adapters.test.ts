import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentTask } from '../../src/agent/adapter.js';
import { createClaudeAdapter, GIT_COMMIT_TOOLS } from '../../src/agent/claude/claude-adapter.js';
import { preTrustPath } from '../../src/agent/claude/pre-trust.js';
import { createCodexAdapter } from '../../src/agent/codex/codex-adapter.js';
import { createCommandAdapter } from '../../src/agent/command/command-adapter.js';
import { buildTaskPrompt } from '../../src/agent/task-prompt.js';
import { tempDir } from '../helpers/temp.js';

const task: AgentTask = {
  taskId: 'feature-004',
  runId: 'run-7',
  worktree: '/repo/.worktrees/feature-004',
  branch: 'ccwave/feature-004',
  prompt: '# Feature: worktree aware\n\nMake it aware.\n',
  acceptanceCriteria: ['`status` shows the worktree', 'tests pass'],
  taskDir: '/repo/.git/ccwave/run-7/feature-004',
  sessionId: '11111111-2222-4333-8444-555555555555',
};

describe('task prompt', () => {
  it('adds the worktree, branch, autonomy, commits and the acceptance criteria', () => {
    const prompt = buildTaskPrompt(task);
    expect(prompt.startsWith('# Feature: worktree aware')).toBe(true);
    expect(prompt).toContain('`/repo/.worktrees/feature-004`, on branch `ccwave/feature-004`');
    expect(prompt).toContain('nobody will answer questions');
    expect(prompt).toContain('Commit your work');
    expect(prompt).toContain('  - `status` shows the worktree\n  - tests pass');
  });
});

describe('Claude adapter', () => {
  it('starts a fixed session with hooks, permissions, git tools, and the prompt after --', () => {
    const adapter = createClaudeAdapter({ permissionMode: 'acceptEdits', model: 'sonnet', allowedTools: ['Bash(npm test:*)'], nodePath: '/usr/bin/node' });
    const spec = adapter.buildLaunch(task);
    const settingsPath = `${task.taskDir}/claude-settings.json`;
    expect(spec.argv).toEqual([
      'claude',
      '--session-id',
      task.sessionId,
      '--settings',
      settingsPath,
      '--permission-mode',
      'acceptEdits',
      '--model=sonnet',
      '--allowedTools',
      'Bash(npm test:*)',
      ...GIT_COMMIT_TOOLS,
      '--disallowedTools',
      'AskUserQuestion',
      '--',
      buildTaskPrompt(task),
    ]);
    expect(spec.env).toMatchObject({
      CCWAVE_TASK_ID: 'feature-004',
      CCWAVE_RUN_ID: 'run-7',
      CCWAVE_HOOK_CHANNEL: `${task.taskDir}/hooks.jsonl`,
    });
    expect(spec.hookChannel).toBe(`${task.taskDir}/hooks.jsonl`);
    const settings = JSON.parse(spec.files.find((f) => f.path === settingsPath)!.content) as {
      hooks: Record<string, Array<{ hooks: Array<{ command: string }> }>>;
    };
    expect(Object.keys(settings.hooks)).toEqual(['SessionStart', 'UserPromptSubmit', 'Notification', 'Stop', 'StopFailure', 'SessionEnd']);
    expect(settings.hooks['Stop']![0]!.hooks[0]!.command).toBe(`'/usr/bin/node' '${task.taskDir}/ccwave-hook.mjs' '${task.taskDir}/hooks.jsonl' '${task.taskDir}/hook-config.json'`);
    expect(spec.files.map((f) => f.path)).toContain(`${task.taskDir}/ccwave-hook.mjs`);
  });

  it('never passes a setting as a token of its own that claude could read as an option', () => {
    const spec = createClaudeAdapter({ model: '--dangerously-skip-permissions' }).buildLaunch(task);
    expect(spec.argv).toContain('--model=--dangerously-skip-permissions');
    expect(spec.argv).not.toContain('--dangerously-skip-permissions');
    // The tool lists are variadic: no `=` form holds several values, so such a value is refused.
    expect(() => createClaudeAdapter({ allowedTools: ['Edit', '--help'] }).buildLaunch(task)).toThrow(/--help/);
    expect(() => createClaudeAdapter({ disallowedTools: ['-p'] }).buildLaunch(task)).toThrow(/-p/);
  });

  it('resumes with --resume and the message', () => {
    const spec = createClaudeAdapter().resumeLaunch(task, 'continue');
    expect(spec.argv.slice(0, 3)).toEqual(['claude', '--resume', task.sessionId]);
    expect(spec.argv.at(-1)).toBe('continue');
    expect(spec.argv.at(-2)).toBe('--');
  });

  it('passes a prompt too long for one argument through a file', () => {
    const spec = createClaudeAdapter().buildLaunch({ ...task, prompt: 'x'.repeat(200 * 1024) });
    expect(spec.argv.at(-1)).toBe(`Your task is in the file ${task.taskDir}/prompt.md. Read all of it, then do it.`);
    expect(spec.files.find((f) => f.path.endsWith('prompt.md'))?.content.length).toBeGreaterThan(200 * 1024);
  });

  it('accepts the bypass warning only in bypassPermissions mode', () => {
    expect(createClaudeAdapter({ permissionMode: 'bypassPermissions' }).bypassesPermissions).toBe(true);
    expect(createClaudeAdapter({ permissionMode: 'acceptEdits' }).bypassesPermissions).toBe(false);
  });

  it('writes the verify command into the hook config with a Stop timeout above its own', () => {
    const spec = createClaudeAdapter({ verify: { command: 'npm test', timeoutMs: 120_000 } }).buildLaunch(task);
    const config = JSON.parse(spec.files.find((f) => f.path.endsWith('hook-config.json'))!.content) as unknown;
    expect(config).toEqual({ verify: { command: 'npm test', maxAttempts: 3, timeoutMs: 120_000 } });
    const settings = JSON.parse(spec.files.find((f) => f.path.endsWith('claude-settings.json'))!.content) as {
      hooks: Record<string, Array<{ hooks: Array<{ timeout: number }> }>>;
    };
    expect(settings.hooks['Stop']![0]!.hooks[0]!.timeout).toBe(150);
  });
});

describe('Codex adapter', () => {
  const hook = `'/usr/bin/node' '${task.taskDir}/ccwave-hook.mjs' '${task.taskDir}/hooks.jsonl' '${task.taskDir}/hook-config.json'`;
  const hooks = (stopTimeout: number) =>
    'hooks={' +
    ['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd']
      .map((event) => `${event}=[{hooks=[{type="command",command=${JSON.stringify(hook)},timeout=${event === 'Stop' ? stopTimeout : 30}}]}]`)
      .join(',') +
    '}';

  it('starts with everything per launch: no daemon, the transcript in the scrollback, no sandbox, no approvals, ccwave hooks, the worktree trusted, the prompt after --', () => {
    const adapter = createCodexAdapter({ model: 'gpt-5-codex', nodePath: '/usr/bin/node' });
    const spec = adapter.buildLaunch(task);
    expect(spec.argv).toEqual([
      'codex',
      '--no-daemon',
      '--no-alt-screen',
      '-s',
      'danger-full-access',
      '-a',
      'never',
      '--dangerously-bypass-hook-trust',
      '-c',
      hooks(30),
      '-c',
      'projects={"/repo/.worktrees/feature-004"={trust_level="trusted"}}',
      '--model=gpt-5-codex',
      '--',
      buildTaskPrompt(task),
    ]);
    expect(spec.hookChannel).toBe(`${task.taskDir}/hooks.jsonl`);
    expect(spec.files.map((f) => f.path)).toEqual([`${task.taskDir}/ccwave-hook.mjs`, `${task.taskDir}/hook-config.json`]);
    expect(adapter).toMatchObject({ name: 'codex', namesOwnSession: true, bypassesPermissions: true, politeStop: { text: '/exit' } });
  });

  it('resumes the session it named, by id, with the message after --; refuses an id that could be an option', () => {
    const adapter = createCodexAdapter({ nodePath: '/usr/bin/node', verify: { command: 'npm test', timeoutMs: 60_000 } });
    const spec = adapter.resumeLaunch({ ...task, sessionId: '019a0000-1111-7222-8333-444444444444' }, '-carry on');
    expect(spec.argv.slice(0, 2)).toEqual(['codex', 'resume']);
    expect(spec.argv).toContain(hooks(90));
    expect(spec.argv.slice(-3)).toEqual(['019a0000-1111-7222-8333-444444444444', '--', '-carry on']);
    expect(JSON.parse(spec.files[1]!.content)).toEqual({ verify: { command: 'npm test', maxAttempts: 3, timeoutMs: 60_000 } });
    expect(() => adapter.resumeLaunch({ ...task, sessionId: '--dangerously-bypass-approvals-and-sandbox' }, 'x')).toThrow(/not a session id/);
  });

  it('sandboxed: workspace-write with the git dirs writable, no network, no /tmp', () => {
    const adapter = createCodexAdapter({ sandbox: { allowWrite: ['/repo/.git/objects', '/repo/.git/worktrees/feature-004'] } });
    const argv = adapter.buildLaunch(task).argv;
    expect(argv.slice(1, 14)).toEqual([
      '--no-daemon',
      '--no-alt-screen',
      '-s',
      'workspace-write',
      '-c',
      'sandbox_workspace_write.writable_roots=["/repo/.git/objects","/repo/.git/worktrees/feature-004"]',
      '-c',
      'sandbox_workspace_write.network_access=false',
      '-c',
      'sandbox_workspace_write.exclude_slash_tmp=true',
      '-c',
      'sandbox_workspace_write.exclude_tmpdir_env_var=true',
      '-a',
    ]);
    expect(adapter.bypassesPermissions).toBe(false);
  });

  it("refuses to start sandboxed in a worktree holding Codex's project config, whose hooks would run outside the sandbox", async () => {
    const worktree = tempDir('ccwave-codex-wt-');
    mkdirSync(join(worktree, '.codex'));
    writeFileSync(join(worktree, '.codex', 'config.toml'), '[[hooks.SessionStart]]\n');
    const sandboxed = createCodexAdapter({ sandbox: { allowWrite: [] } });
    await expect(sandboxed.prepare!({ ...task, worktree })).rejects.toThrow('the worktree holds .codex/config.toml');
    await expect(createCodexAdapter().prepare!({ ...task, worktree })).resolves.toBeUndefined();
  });

  it('passes a prompt too long for one argument through a file', () => {
    const spec = createCodexAdapter().buildLaunch({ ...task, prompt: 'x'.repeat(200 * 1024) });
    expect(spec.argv.at(-1)).toBe(`Your task is in the file ${task.taskDir}/prompt.md. Read all of it, then do it.`);
    expect(spec.files.find((f) => f.path === `${task.taskDir}/prompt.md`)?.content).toContain('x'.repeat(200 * 1024));
  });

  it('reads usage only from a rollout of its own session', () => {
    const open = createCodexAdapter().transcriptReader!;
    const id = '019a0000-1111-7222-8333-444444444444';
    expect(open(`/home/u/.codex/sessions/2026/12/02/rollout-2026-12-02T12-00-00-${id}.jsonl`, id)).toBeDefined();
    expect(open(`/home/u/.codex/sessions/2026/12/02/rollout-2026-12-02T12-00-00-other.jsonl`, id)).toBeUndefined();
    expect(open(`/tmp/${id}.jsonl`, id)).toBeUndefined();
    expect(open(`rollout-x-${id}.jsonl`, id)).toBeUndefined();
  });
});

describe('command adapter', () => {
  it('substitutes {prompt} and {promptFile} in argv and always sets CCWAVE_PROMPT_FILE', () => {
    const spec = createCommandAdapter({ argv: ['aider', '--message', '{prompt}', '--file-list', '{promptFile}'] }).buildLaunch(task);
    expect(spec.argv).toEqual(['aider', '--message', buildTaskPrompt(task), '--file-list', `${task.taskDir}/prompt.md`]);
    expect(spec.env['CCWAVE_PROMPT_FILE']).toBe(`${task.taskDir}/prompt.md`);
    expect(spec.files).toEqual([{ path: `${task.taskDir}/prompt.md`, content: buildTaskPrompt(task) }]);
    expect(spec.hookChannel).toBeUndefined();
  });

  it('runs a shell string as written, without splicing data into it', () => {
    const spec = createCommandAdapter({ shell: 'my-agent < "$CCWAVE_PROMPT_FILE"' }).buildLaunch(task);
    expect(spec.argv).toEqual(['/bin/sh', '-c', 'my-agent < "$CCWAVE_PROMPT_FILE"']);
  });
});

describe('pre-trust', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('ccwave-trust-');
  });

  it('adds one project entry and keeps everything else', async () => {
    const path = join(dir, '.claude.json');
    const original = { hasCompletedOnboarding: true, oauthAccount: { id: 'me' }, projects: { '/other': { allowedTools: ['x'] } } };
    writeFileSync(path, JSON.stringify(original));
    expect(await preTrustPath(path, '/wt/a')).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({
      ...original,
      projects: { '/other': { allowedTools: ['x'] }, '/wt/a': { hasTrustDialogAccepted: true } },
    });
  });

  it('leaves a missing or broken config alone', async () => {
    expect(await preTrustPath(join(dir, 'missing.json'), '/wt/a')).toBe(false);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    expect(await preTrustPath(broken, '/wt/a')).toBe(false);
    expect(readFileSync(broken, 'utf8')).toBe('{ not json');
  });
});
