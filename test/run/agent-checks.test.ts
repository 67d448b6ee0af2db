import { mkdirSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { planRepo } from './plan-repo.js';

/** A PATH with git and node only: no bubblewrap, no socat. */
function pathWithout(): string {
  const bin = path.join(tempDir('ccwave-bin-'), 'bin');
  mkdirSync(bin);
  for (const program of ['git', 'node']) {
    const found = (process.env.PATH ?? '')
      .split(path.delimiter)
      .map((dir) => path.join(dir, program))
      .find((p) => {
        try {
          return statSync(p).isFile();
        } catch {
          return false;
        }
      });
    if (found) symlinkSync(found, path.join(bin, program));
  }
  return bin;
}

describe("what only the machine can tell about a plan's agents", () => {
  it('refuses a permission mode Claude does not have, at the line that sets it, with a guess', () => {
    const repo = planRepo([[{ id: 'feature-001-a' }]], { permissionMode: 'acceptEdit' });
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^WAVES\.md:\d+:1: error: "acceptEdit" is not a permission mode of Claude Code 2\.1 \(acceptEdits, auto, bypassPermissions, default, dontAsk, manual, plan\)/m);
    expect(result.stderr).toContain('hint: did you mean `acceptEdits`?');
    const run = ccwave(['run', '--no-tui'], { cwd: repo.dir });
    expect(run.status).toBe(2);
    expect(repo.git('branch', '--list', 'ccwave/*')).toBe('');
  });

  it('points at the PROMPT.md that sets the mode, at the key itself', () => {
    const repo = planRepo([[{ id: 'feature-001-a' }, { id: 'feature-002-b', frontMatter: '{ timeout: 20m, permissionMode: acceptEdit }' }]]);
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^feature-management\/features\/feature-002-b\/PROMPT\.md:2:17: error: "acceptEdit" is not a permission mode/m);
  });

  it('accepts the newer modes, auto and manual', () => {
    for (const mode of ['auto', 'manual']) {
      const repo = planRepo([[{ id: 'feature-001-a' }]], { permissionMode: mode });
      expect(ccwave(['validate'], { cwd: repo.dir }).status, mode).toBe(0);
    }
  });

  it('warns about a plan command that no permission rule can allow', () => {
    const repo = planRepo([[{ id: 'feature-001-a' }]], { setup: 'rm -rf build/*' });
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^WAVES\.md:\d+:1: warning: the setup command is not pre-allowed for Claude: it contains `\*`/m);
    expect(result.stdout).toMatch(/^ok: 1 wave, 1 task, 1 warning$/m);
    const json = JSON.parse(ccwave(['validate', '--json'], { cwd: repo.dir }).stdout) as { ok: boolean; plan: { warnings: { message: string }[] } };
    expect(json.ok).toBe(true);
    expect(json.plan.warnings.map((w) => w.message)).toEqual(['the setup command is not pre-allowed for Claude: it contains `*`, which a Claude rule reads as "anything"']);
  });

  it('says what the sandbox needs before a run changes anything', () => {
    const repo = planRepo([[{ id: 'feature-001-a' }]], { sandbox: { network: ['registry.npmjs.org'] } });
    const result = ccwave(['run', '--no-tui'], { cwd: repo.dir, env: { PATH: pathWithout() } });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/error: Claude Code's sandbox needs bwrap and socat, which are not installed/);
    expect(result.stderr).toContain('sudo apt-get install bubblewrap socat');
    expect(repo.git('branch', '--list', 'ccwave/*')).toBe('');
    expect(repo.git('worktree', 'list').split('\n')).toHaveLength(1);
  });

  it('says the sandbox does not confine a command agent', () => {
    const repo = planRepo([[{ id: 'feature-001-a' }]], { agent: 'true', sandbox: true });
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('warning: task feature-001-a runs a command agent, which `sandbox` does not confine');
  });

  it('refuses a network entry that is not a domain', () => {
    const repo = planRepo([[{ id: 'feature-001-a' }]], { sandbox: { network: ['https://evil.example/x'] } });
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/error: `sandbox\.network\.0` must be a list of domains, like \[registry\.npmjs\.org, "\*\.github\.com"\], not "https:\/\/evil\.example\/x"/);
  });

  it('refuses Claude-only settings a Codex task sets itself, and warns about those it inherits, at the line', () => {
    const repo = planRepo(
      [
        [
          { id: 'feature-001-a', frontMatter: '{ agent: codex, permissionMode: acceptEdits }' },
          { id: 'feature-002-b', frontMatter: '{ agent: codex, sandbox: { network: [registry.npmjs.org] } }' },
          { id: 'feature-003-c' },
        ],
      ],
      // WAVES.md's `agent` would beat each PROMPT.md's: the plan leaves it to the tasks.
      { agent: undefined, allowedTools: ['Edit'] },
    );
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^feature-management\/features\/feature-001-a\/PROMPT\.md:2:17: error: task feature-001-a runs Codex, which has no `permissionMode` \(a Claude Code permission mode\)$/m,
    );
    expect(result.stderr).toMatch(/^feature-management\/features\/feature-002-b\/PROMPT\.md:2:17: error: task feature-002-b runs Codex, whose sandbox cannot allow single domains$/m);
    expect(result.stderr).toMatch(/^WAVES\.md:\d+:1: warning: task feature-001-a runs Codex: `allowedTools` \(Claude Code tool rules\) does not apply to it and is ignored$/m);
    // The Claude task keeps its tool rules without a word.
    expect(result.stderr + result.stdout).not.toContain('feature-003-c');
    const run = ccwave(['run', '--no-tui'], { cwd: repo.dir });
    expect(run.status).toBe(2);
    expect(repo.git('branch', '--list', 'ccwave/*')).toBe('');
  });

  it('accepts a plan that mixes Claude and Codex tasks with settings both have', () => {
    const repo = planRepo(
      [[{ id: 'feature-001-a', frontMatter: '{ agent: { kind: codex, command: [codex, --enable, x] }, model: gpt-5-codex, sandbox: true, verify: "true" }' }, { id: 'feature-002-b' }]],
      { agent: undefined },
    );
    const result = ccwave(['validate'], { cwd: repo.dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
