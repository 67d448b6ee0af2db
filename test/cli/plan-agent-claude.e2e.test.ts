import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeMessagesApi, type FakeMessagesApi } from '../../src/doctor/fake-messages-api.js';
import { CLAUDE_BINARIES, claudeEnv, claudeHome } from '../helpers/claude-binaries.js';
import { planRepo, runCcwave } from '../run/plan-repo.js';

let api: FakeMessagesApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const ANSWER = { moves: [{ feature: 'feature-b', toWave: 2, reason: 'it builds on what feature-a shows' }] };

describe.each(CLAUDE_BINARIES)('ccwave plan --agent with the real Claude Code $version', (claude) => {
  it('applies the move its review writes and commits', async () => {
    // Two features with nothing between them: the draft puts both in wave 1.
    const repo = planRepo([[{ id: 'feature-a' }, { id: 'feature-b' }]], { agent: { kind: 'claude', command: [claude.path] } });
    api = await startFakeMessagesApi({
      script: () => ({
        turns: [
          [
            { tool: 'Write', input: { file_path: 'REVIEW.json', content: JSON.stringify(ANSWER) } },
            { tool: 'Bash', input: { command: 'git add REVIEW.json && git commit -m "Review the draft"', description: 'Commit' } },
            { text: 'REVIEW.json is written and committed.' },
          ],
        ],
      }),
    });
    const env = claudeEnv(claudeHome(path.join(path.dirname(repo.dir), 'home')), api.url);
    for (const key of Object.keys(process.env)) if (/^(ANTHROPIC_|CLAUDE|CLAUDECODE)/.test(key) && !(key in env)) env[key] = undefined;
    const result = await runCcwave(repo, ['plan', '--agent'], env);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('review: 1 move applied, 0 refused\n  moved feature-b: wave 1 → wave 2 (it builds on what feature-a shows)\nwrote WAVES.md: 2 features in 2 waves\n');
    const written = readFileSync(path.join(repo.dir, 'WAVES.md'), 'utf8');
    expect(written).toMatch(/## Wave 1\n[\s\S]*- feature-a[\s\S]*## Wave 2\n[\s\S]*- feature-b/);
    // The session saw the draft it reviewed.
    expect(JSON.stringify(api.requests.map((r) => r.body))).toContain('DRAFT.json');
  });
});
