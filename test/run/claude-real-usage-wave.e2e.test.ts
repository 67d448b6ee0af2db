import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi } from '../../src/doctor/fake-messages-api.js';
import { taskUsage } from '../../src/journal/index.js';
import { CLAUDE_BINARIES, claudeEnv, claudeHome } from '../helpers/claude-binaries.js';
import { planRepo, runCcwave, runState } from './plan-repo.js';

/**
 * A wave with the real Claude Code against the fake Messages API, whose every reply has a known
 * usage: the tokens ccwave journals for the task are exactly what the API sent in its turns.
 */
let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe.each(CLAUDE_BINARIES)('usage recorded by ccwave run with the real Claude Code $version', (claude) => {
  it('journals exactly the tokens the API sent, and a cost', async () => {
    const id = 'feature-001-usage';
    const repo = planRepo([[{ id }]], { agent: { kind: 'claude', command: [claude.path] }, concurrency: 1 });
    api = await startFakeMessagesApi({
      script: {
        turns: [
          [
            { tool: 'Write', input: { file_path: `${id}.txt`, content: `${id} by claude\n` } },
            { tool: 'Bash', input: { command: `git add ${id}.txt && git commit -m "Add ${id}.txt"`, description: 'Commit' } },
            { text: 'Done.' },
          ],
        ],
      },
    });
    const env = claudeEnv(claudeHome(path.join(path.dirname(repo.dir), 'home')), api.url);
    for (const key of Object.keys(process.env)) if (/^(ANTHROPIC_|CLAUDE|CLAUDECODE)/.test(key) && !(key in env)) env[key] = undefined;
    const result = await runCcwave(repo, ['run', '--no-tui'], env);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const sent = { input: 0, output: 0, cacheCreation: 0, cacheRead: 0 };
    for (const u of api.usageSent.filter((u) => u.mainTurn)) {
      sent.input += u.input_tokens;
      sent.output += u.output_tokens;
      sent.cacheCreation += u.cache_creation_input_tokens;
      sent.cacheRead += u.cache_read_input_tokens;
    }
    expect(sent.input).toBeGreaterThan(0);
    const recorded = taskUsage(runState(repo), id);
    expect(recorded.tokens).toEqual(sent);
    expect(recorded.costUsd).toBeGreaterThan(0);
  });
});
