import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave, REPO_ROOT } from '../helpers/cli.js';
import { makeRepo, type TestRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

const FAKE_AGENT = path.join(REPO_ROOT, 'fixtures/fake-agent/fake-agent.mjs');

function prompt(title: string, requires: string, file: string): string {
  return `# Feature: ${title}\n\n**Priority**: P1\n\n## Dependencies\n- Requires: ${requires}\n- Blocked by: none\n\n### Files to Create/Modify\n- \`${file}\` - the code\n\n## Acceptance Criteria\n- [ ] works\n`;
}

/**
 * Three features whose draft is wave 1: feature-a, feature-c; wave 2: feature-b (it requires
 * feature-a). The plan's agent is the fake agent, playing the script the test writes.
 */
function reviewRepo(answer: string | undefined): { repo: TestRepo; env: NodeJS.ProcessEnv } {
  const repo = makeRepo();
  const features = path.join(repo.dir, 'feature-management/features');
  for (const [id, requires, file] of [
    ['feature-a', 'none', 'src/a.js'],
    ['feature-b', 'feature-a', 'src/b.js'],
    ['feature-c', 'none', 'src/c.js'],
  ] as const) {
    mkdirSync(path.join(features, id), { recursive: true });
    writeFileSync(path.join(features, id, 'PROMPT.md'), prompt(id, requires, file));
  }
  writeFileSync(path.join(repo.dir, 'WAVES.md'), `---\nagent: { kind: claude, command: [node, ${JSON.stringify(FAKE_AGENT)}] }\n---\n\n# Review\n`);
  repo.git('add', '--all');
  repo.git('commit', '--quiet', '-m', 'features');
  const scripts = tempDir('ccwave-review-script-');
  const script = path.join(scripts, 'review.json');
  const file = answer === undefined ? { write: 'NOTES.md', content: 'looks fine\n' } : { write: 'REVIEW.json', content: answer };
  writeFileSync(script, JSON.stringify({ turns: [{ steps: [file, { commit: 'Review the draft' }], reply: 'Reviewed.' }] }));
  // A failed review keeps its logs in the temp folder: this test's own.
  return { repo, env: { FAKE_AGENT_SCRIPT: script, FAKE_AGENT_STATE_DIR: tempDir('ccwave-review-state-'), TMPDIR: tempDir('ccwave-review-tmp-') } };
}

function wavesOf(text: string): string[] {
  return [...text.matchAll(/^## (Wave \d+)|^- (feature-\w+)/gm)].map((m) => m[1] ?? m[2]!);
}

describe('ccwave plan --agent (the fake agent in a real terminal)', () => {
  it('applies a valid move, refuses one that breaks a dependency, and shows both before writing', () => {
    const moves = [
      { feature: 'feature-c', toWave: 2, reason: 'it edits what feature-b reads' },
      { feature: 'feature-b', toWave: 1, reason: 'sooner' },
    ];
    const { repo, env } = reviewRepo(JSON.stringify({ moves }));
    const result = ccwave(['plan', '--agent'], { cwd: repo.dir, env });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(
      [
        'review: 1 move applied, 1 refused',
        '  moved feature-c: wave 1 → wave 2 (it edits what feature-b reads)',
        '  refused move 2 {"feature":"feature-b","toWave":1,"reason":"sooner"}: feature-b requires feature-a, in wave 1',
        'wrote WAVES.md: 3 features in 2 waves',
        '',
      ].join('\n'),
    );
    const written = readFileSync(path.join(repo.dir, 'WAVES.md'), 'utf8');
    expect(wavesOf(written)).toEqual(['Wave 1', 'feature-a', 'Wave 2', 'feature-b', 'feature-c']);
    expect(written).toContain('feature-c: needs nothing still to build; moved from wave 1 by the review: it edits what feature-b reads');
    expect(ccwave(['validate'], { cwd: repo.dir }).status).toBe(0);
  });

  it('--json carries the moves and the refusals', () => {
    const { repo, env } = reviewRepo(JSON.stringify({ moves: [{ feature: 'feature-zz', toWave: 1, reason: 'x' }] }));
    const result = ccwave(['plan', '--agent', '--json', '--out', '-'], { cwd: repo.dir, env });
    expect(result.status).toBe(0);
    const json = JSON.parse(result.stdout) as { review: unknown };
    expect(json.review).toEqual({ applied: [], refused: [{ index: 1, move: '{"feature":"feature-zz","toWave":1,"reason":"x"}', why: 'no feature feature-zz in the draft' }] });
  });

  it('writes the draft and says so when the answer is not JSON', () => {
    const { repo, env } = reviewRepo('moves: feature-c to 2, trust me');
    const draft = ccwave(['plan', '--out', '-'], { cwd: repo.dir, env }).stdout;
    const result = ccwave(['plan', '--agent'], { cwd: repo.dir, env });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^review: REVIEW\.json is not JSON: .*\(its logs: .*\); the draft is kept\nwrote WAVES\.md: 3 features in 2 waves\n$/);
    expect(readFileSync(path.join(repo.dir, 'WAVES.md'), 'utf8')).toBe(draft);
  });

  it('writes the draft and says so when the review writes no answer', () => {
    const { repo, env } = reviewRepo(undefined);
    const result = ccwave(['plan', '--agent'], { cwd: repo.dir, env });
    expect(result.status).toBe(0);
    const logs = /^review: the review wrote no REVIEW\.json \(its logs: (.*)\); the draft is kept\nwrote WAVES\.md: 3 features in 2 waves\n$/.exec(result.stdout);
    expect(logs, result.stdout).not.toBeNull();
    expect(existsSync(path.join(logs![1]!, 'session', 'pty.log'))).toBe(true);
  });
});
