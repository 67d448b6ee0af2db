import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AgentTask } from '../../src/agent/adapter.js';
import { createClaudeAdapter } from '../../src/agent/claude/claude-adapter.js';
import { readUserStatusLine, userSettingsPath } from '../../src/agent/claude/user-status-line.js';
import { parseHookLine } from '../../src/agent/hook-event.js';
import { STATUS_LINE_EVENT, STATUS_LINE_SCRIPT_SOURCE, statusLineCommand, type StatusLineConfig } from '../../src/agent/hook/status-line-script.js';
import { tempDir } from '../helpers/temp.js';

let dir: string;
beforeEach(() => {
  dir = tempDir('ccwave-status-line-');
});

const STATUS = { session_id: 's1', cwd: '/', cost: { total_cost_usd: 0.5 } };

/** Runs the status-line command through a shell with `input` on stdin, as Claude Code does. */
function runStatusLine(input: string, config: Partial<StatusLineConfig> = {}): string {
  const script = join(dir, "it's status.mjs");
  const configPath = join(dir, 'status-line-config.json');
  writeFileSync(script, STATUS_LINE_SCRIPT_SOURCE);
  writeFileSync(configPath, JSON.stringify({ timeoutMs: 5_000, ...config }));
  return execFileSync('/bin/sh', ['-c', statusLineCommand(process.execPath, script, join(dir, 'hooks.jsonl'), configPath)], { input, encoding: 'utf8', cwd: dir });
}

const channelLines = (): string[] => readFileSync(join(dir, 'hooks.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('status-line script', () => {
  it('records the status as one channel line of its own kind and prints nothing without a user command', () => {
    expect(runStatusLine(JSON.stringify(STATUS))).toBe('');
    const lines = channelLines();
    expect(lines).toHaveLength(1);
    expect(parseHookLine(lines[0] ?? '')).toEqual({ hook_event_name: STATUS_LINE_EVENT, status: STATUS });
  });

  it("runs the user's command with the same stdin, in the session's folder, and passes its output through", () => {
    const status = { ...STATUS, cwd: dir };
    const out = runStatusLine(JSON.stringify(status), { command: `cat > got.json; printf 'mine %s' "$(basename "$(pwd)")"` });
    expect(out).toBe(`mine ${dir.split('/').at(-1)}`);
    expect(JSON.parse(readFileSync(join(dir, 'got.json'), 'utf8'))).toEqual(status);
    expect(channelLines()).toHaveLength(1);
  });

  it('records even input that is not JSON, and still runs the user command', () => {
    expect(runStatusLine('not json', { command: 'echo shown' })).toBe('shown\n');
    expect(parseHookLine(channelLines()[0] ?? '')).toEqual({ hook_event_name: STATUS_LINE_EVENT });
  });

  it('shows nothing from a user command that outlives its time, and does not wait for it', () => {
    expect(runStatusLine(JSON.stringify(STATUS), { command: 'sleep 30; echo late', timeoutMs: 200 })).toBe('');
  });
});

describe("the user's own status line", () => {
  it('comes from the user settings file, with its padding', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(path, JSON.stringify({ statusLine: { type: 'command', command: '~/bin/line.sh', padding: 2 } }));
    expect(readUserStatusLine(path)).toEqual({ command: '~/bin/line.sh', padding: 2 });
  });

  it.each([
    ['no file', undefined],
    ['not JSON', '{'],
    ['no statusLine', '{}'],
    ['a statusLine of another type', JSON.stringify({ statusLine: { type: 'static', command: 'x' } })],
    ['an empty command', JSON.stringify({ statusLine: { type: 'command', command: ' ' } })],
  ])('is absent with %s', (_name, text) => {
    const path = join(dir, 'settings.json');
    if (text !== undefined) writeFileSync(path, text);
    expect(readUserStatusLine(path)).toBeUndefined();
  });

  it("is looked for where Claude keeps the user's settings", () => {
    expect(userSettingsPath({ HOME: '/home/u' })).toBe('/home/u/.claude/settings.json');
    expect(userSettingsPath({ HOME: '/home/u', CLAUDE_CONFIG_DIR: '/cfg' })).toBe('/cfg/settings.json');
  });
});

describe('the Claude adapter', () => {
  const task = (): AgentTask => {
    const worktree = join(dir, 'wt');
    // A project status line an agent could have committed: never run.
    mkdirSync(join(worktree, '.claude'), { recursive: true });
    writeFileSync(join(worktree, '.claude', 'settings.json'), JSON.stringify({ statusLine: { type: 'command', command: 'curl evil' } }));
    return { taskId: 't', runId: 'r', worktree, branch: 'b', prompt: 'p', acceptanceCriteria: [], taskDir: join(dir, 'task'), sessionId: 's' };
  };
  const fileOf = (spec: { files: { path: string; content: string }[] }, name: string): unknown => JSON.parse(spec.files.find((f) => f.path.endsWith(name))?.content ?? 'null');

  it("puts ccwave's status line in --settings and hands it the user's command", () => {
    const user = join(dir, 'user-settings.json');
    writeFileSync(user, JSON.stringify({ statusLine: { type: 'command', command: 'my-line', padding: 1 } }));
    const spec = createClaudeAdapter({ userSettingsPath: user, nodePath: '/usr/bin/node' }).buildLaunch(task());
    expect(fileOf(spec, 'claude-settings.json')).toMatchObject({
      statusLine: { type: 'command', command: `'/usr/bin/node' '${dir}/task/ccwave-status-line.mjs' '${dir}/task/hooks.jsonl' '${dir}/task/status-line-config.json'`, padding: 1 },
    });
    expect(fileOf(spec, 'status-line-config.json')).toEqual({ command: 'my-line', timeoutMs: 5_000 });
    expect(spec.files.find((f) => f.path.endsWith('ccwave-status-line.mjs'))?.content).toBe(STATUS_LINE_SCRIPT_SOURCE);
  });

  it("never takes the project's status line", () => {
    const spec = createClaudeAdapter({ userSettingsPath: join(dir, 'none.json') }).buildLaunch(task());
    expect(fileOf(spec, 'status-line-config.json')).toEqual({ timeoutMs: 5_000 });
    expect(JSON.stringify(spec.files)).not.toContain('curl evil');
  });
});
