import { describe, expect, it } from 'vitest';
import type { AgentTask } from '../../src/agent/adapter.js';
import { createClaudeAdapter } from '../../src/agent/claude/claude-adapter.js';
import { planCommandRules } from '../../src/agent/claude/command-rules.js';
import { buildTaskPrompt } from '../../src/agent/task-prompt.js';

describe("the plan's commands as Claude permission rules", () => {
  it('allows each command exactly as written, never with more arguments', () => {
    expect(
      planCommandRules([
        { role: 'test', command: 'npm test' },
        { role: 'setup', command: '  npm ci  ' },
      ]),
    ).toEqual({
      rules: ['Bash(npm test)', 'Bash(npm ci)'],
      skipped: [],
    });
  });

  it('allows a chain of && as a whole and each part on its own', () => {
    expect(planCommandRules([{ role: 'setup', command: 'npm ci && npm run build' }]).rules).toEqual(['Bash(npm ci && npm run build)', 'Bash(npm ci)', 'Bash(npm run build)']);
  });

  it('does not split inside quotes, and keeps a command with an open quote whole', () => {
    expect(planCommandRules([{ role: 'test', command: `node -e "a && b" && echo 'c && d'` }]).rules).toEqual([
      `Bash(node -e "a && b" && echo 'c && d')`,
      'Bash(node -e "a && b")',
      `Bash(echo 'c && d')`,
    ]);
    expect(planCommandRules([{ role: 'test', command: `echo "a && b` }]).rules).toEqual([`Bash(echo "a && b)`]);
  });

  it('makes no rule where Claude would read more into it: a wildcard, several lines, control characters', () => {
    const { rules, skipped } = planCommandRules([
      { role: 'setup', command: 'rm -rf build/*' },
      { role: 'test', command: 'npm ci\nnpm test' },
      { role: 'verify', command: 'echo \u001b[31m' },
      { role: 'test', command: 'node test.js' },
    ]);
    expect(rules).toEqual(['Bash(node test.js)']);
    expect(skipped.map((s) => [s.role, s.reason])).toEqual([
      ['setup', 'it contains `*`, which a Claude rule reads as "anything"'],
      ['test', 'it spans several lines, and a rule is one line'],
      ['verify', 'it contains control characters'],
    ]);
  });
});

const task: AgentTask = {
  taskId: 'feature-1',
  runId: 'run-1',
  worktree: '/repo/wt/feature-1',
  branch: 'ccwave/feature-1',
  prompt: '# Feature: one\n',
  acceptanceCriteria: ['tests pass'],
  taskDir: '/repo/.git/ccwave/run-1/feature-1',
  sessionId: '11111111-2222-4333-8444-555555555555',
  commands: [
    { role: 'test', command: 'node test.js' },
    { role: 'setup', command: 'npm ci' },
  ],
};

describe("a task with the plan's commands", () => {
  it('tells the agent the commands word for word', () => {
    const prompt = buildTaskPrompt(task);
    expect(prompt).toContain('  - `node test.js`: the tests, which must pass before your work is merged');
    expect(prompt).toContain('  - `npm ci`: sets the worktree up (already run once)');
  });

  it("lets Claude run them without a prompt, next to the user's own rules", () => {
    const argv = createClaudeAdapter({ allowedTools: ['Edit'] }).buildLaunch(task).argv;
    const allowed = argv.slice(argv.indexOf('--allowedTools') + 1, argv.indexOf('--disallowedTools'));
    expect(allowed).toEqual(expect.arrayContaining(['Edit', 'Bash(node test.js)', 'Bash(npm ci)']));
  });
});

describe('Claude with a sandbox', () => {
  it("turns Claude's sandbox on as a hard boundary, with the writes and domains given", () => {
    const spec = createClaudeAdapter({ sandbox: { allowWrite: ['/repo/.git/objects'], allowedDomains: ['registry.npmjs.org'] } }).buildLaunch(task);
    const settings = JSON.parse(spec.files.find((f) => f.path.endsWith('claude-settings.json'))!.content) as { sandbox: unknown };
    expect(settings.sandbox).toEqual({
      enabled: true,
      failIfUnavailable: true,
      allowUnsandboxedCommands: false,
      autoAllowBashIfSandboxed: true,
      filesystem: { allowWrite: ['/repo/.git/objects'] },
      network: { allowedDomains: ['registry.npmjs.org'] },
    });
    const plain = JSON.parse(
      createClaudeAdapter()
        .buildLaunch(task)
        .files.find((f) => f.path.endsWith('claude-settings.json'))!.content,
    ) as object;
    expect(plain).not.toHaveProperty('sandbox');
  });
});
