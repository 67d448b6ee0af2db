import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/journal/lock.js';
import { passedVersionsFile, rememberPassedVersion } from '../../src/doctor/passed-versions.js';
import { ccwave, REPO_ROOT } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

const FAKE_AGENT = path.join(REPO_ROOT, 'fixtures/fake-agent/fake-agent.mjs');

/** A stand-in that answers `--version` as Claude Code does, and nothing else. */
function fakeClaude(version = '2.1.999'): string {
  const file = path.join(tempDir('ccwave-fake-claude-'), 'claude');
  writeFileSync(file, `#!/bin/sh\nfor a; do [ "$a" = --version ] && { echo '${version} (Claude Code)'; exit 0; }; done\necho 'not a real Claude Code' >&2\nexit 1\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A repository with a committed plan of one task; `settings` is the plan's front matter. */
function repoWithPlan(settings: string): string {
  const dir = makeRepo().dir;
  mkdirSync(path.join(dir, 'feature-management/features/f1'), { recursive: true });
  writeFileSync(path.join(dir, 'feature-management/features/f1/PROMPT.md'), '# Feature: f1\n\n## Acceptance Criteria\n- [ ] done\n');
  writeFileSync(path.join(dir, 'WAVES.md'), `---\n${settings}\n---\n## Wave 1\n\n- f1\n`);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'plan');
  return dir;
}

/** Doctor with its own config folder, so nothing of the user's is read or written. */
function doctor(args: string[], cwd: string, config = tempDir('ccwave-config-')) {
  const result = ccwave(['doctor', ...args], { cwd, env: { XDG_CONFIG_HOME: config } });
  return { ...result, config, lines: result.stdout.split('\n') };
}

function json(stdout: string): { schemaVersion: number; claudeVersion: string | null; ok: boolean; results: Array<{ id: string; status: string; title: string; detail?: string }> } {
  return JSON.parse(stdout);
}

describe('ccwave doctor', () => {
  // Without a plan the agent is Claude Code; a stand-in keeps the real one on PATH (under npm test)
  // from running its sessions, which these tests are not about.
  it('outside a repository says which checks it could not make, and fails none of them for it', () => {
    const result = doctor(['--json', '--agent-command', fakeClaude()], tempDir('ccwave-norepo-'));
    const out = json(result.stdout);
    const byId = Object.fromEntries(out.results.map((r) => [r.id, r]));
    for (const id of ['env.worktrees', 'env.disk-space', 'env.lock']) {
      expect(byId[id]).toMatchObject({ status: 'ok', title: expect.stringContaining('not checked, not in a git repository') });
    }
    for (const id of ['env.test-command', 'env.sandbox']) expect(byId[id]).toMatchObject({ status: 'ok', title: expect.stringContaining('not checked, no WAVES.md here') });
    expect(byId['env.git-version']).toMatchObject({ status: 'ok', title: expect.stringMatching(/^git \d+\.\d+.* \(2\.38 or newer needed\)$/) });
  });

  it('runs no Claude checks for an agent that is not Claude Code, passes, and prints one line per check', () => {
    const dir = repoWithPlan(`agent: { kind: claude, command: [node, ${JSON.stringify(FAKE_AGENT)}] }\ntest: "true"`);
    const result = doctor([], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.lines[0]).toBe('ccwave doctor: no Claude Code checked');
    expect(result.stdout).toMatch(/^ok {6}Claude checks: not run, `node .*fake-agent\.mjs` \(the plan \(task f1\)\) is not Claude Code {2}\[claude\.applies\]$/m);
    for (const id of ['env.plan', 'env.git-version', 'env.node-version', 'env.node-pty', 'env.worktrees', 'env.disk-space', 'env.lock', 'env.test-command', 'env.sandbox']) {
      expect(result.stdout).toMatch(new RegExp(`^ok {6}.*  \\[${id.replace('.', '\\.')}\\]$`, 'm'));
    }
    expect(result.lines.at(-2)).toBe('all 10 checks passed');
    // Nothing was checked of Claude, so nothing is remembered.
    expect(existsSync(passedVersionsFile({ XDG_CONFIG_HOME: result.config }))).toBe(false);
  });

  it('checks Codex when a task runs it: a codex that is not there fails its version check, runs no session, and exits 1', () => {
    const missing = path.join(tempDir('ccwave-no-codex-'), 'codex');
    const dir = repoWithPlan(`agent: { kind: codex, command: [${JSON.stringify(missing)}] }\ntest: "true"`);
    const result = doctor(['--json'], dir);
    expect(result.status).toBe(1);
    const out = json(result.stdout) as ReturnType<typeof json> & { codexVersion: string | null };
    expect(out.codexVersion).toBeNull();
    const codex = out.results.filter((r) => r.id.startsWith('codex.'));
    expect(codex[0]).toMatchObject({ id: 'codex.version', status: 'failed', detail: expect.stringContaining(`\`${missing} --version\` failed`) });
    expect(codex.slice(1).map((r) => [r.status, r.detail])).toEqual(codex.slice(1).map(() => ['failed', 'not run: codex --version failed']));
    expect(codex.map((r) => r.id)).toEqual(['codex.version', 'codex.tool-commit', 'codex.hooks', 'codex.screens', 'codex.usage', 'codex.exit', 'codex.resume']);
    expect(out.results.find((r) => r.id === 'claude.applies')).toMatchObject({ status: 'ok', title: 'Claude checks: not run, no task of the plan runs Claude Code' });
    expect(existsSync(passedVersionsFile({ XDG_CONFIG_HOME: result.config }, 'codex'))).toBe(false);
    // A plan without Codex gets no Codex checks, and its JSON no codexVersion.
    const claudeOnly = json(doctor(['--json'], repoWithPlan('agent: "true"')).stdout);
    expect(claudeOnly.results.filter((r) => r.id.startsWith('codex.'))).toEqual([]);
    expect(claudeOnly).not.toHaveProperty('codexVersion');
  });

  it.each([
    ['definitely-not-a-program-ccwave --all', /definitely-not-a-program-ccwave is not on PATH/],
    ['./scripts/missing-test.sh', /\.\/scripts\/missing-test\.sh is not an executable file in /],
  ])('fails when the test command `%s` cannot start, with why, and exits 1', (test, why) => {
    const dir = repoWithPlan(`agent: "true"\ntest: ${test}`);
    const result = doctor([], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain(`failed  test command \`${test}\` not found  [env.test-command]`);
    expect(result.stdout).toMatch(why);
    expect(result.stdout).toMatch(/^ok {6}Claude checks: not run, the plan's agents are commands, not Claude Code {2}\[claude\.applies\]$/m);
    expect(result.lines.at(-2)).toBe('1 failed of 10 checks');
  });

  it('takes a test command that starts with a shell builtin or sets a variable first', () => {
    const dir = repoWithPlan(`agent: "true"\ntest: "CI=1 true && exit 0"`);
    expect(doctor([], dir).status).toBe(0);
  });

  it('fails the lock check while a live process holds the lock, naming it', () => {
    const dir = repoWithPlan('agent: "true"');
    const lock = acquireLock(path.join(dir, '.git/ccwave'), { runId: 'run-held', command: 'ccwave run WAVES.md', releaseOnExit: false });
    try {
      const result = doctor([], dir);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain('failed  run lock free  [env.lock]');
      expect(result.stdout).toMatch(new RegExp(`^ {8}held by pid ${process.pid} on .* \\(ccwave run WAVES\\.md\\), run run-held, since \\d`, 'm'));
      const out = json(doctor(['--json'], dir).stdout);
      expect(out.ok).toBe(false);
      expect(out.results.find((r) => r.id === 'env.lock')).toMatchObject({ status: 'failed', detail: expect.stringContaining(`pid ${process.pid}`) });
    } finally {
      lock.release();
    }
    expect(doctor([], dir).status).toBe(0);
  });

  it('fails the sandbox check when a Claude task uses `sandbox` and bubblewrap and socat are not on PATH', () => {
    const bin = tempDir('ccwave-bin-');
    symlinkSync(execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim(), path.join(bin, 'git'));
    const dir = repoWithPlan(`agent: { kind: claude, command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(FAKE_AGENT)}] }\nsandbox: true`);
    const result = ccwave(['doctor'], { cwd: dir, env: { PATH: bin, XDG_CONFIG_HOME: tempDir('ccwave-config-') } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('failed  sandbox for 1 task (bubblewrap and socat)  [env.sandbox]');
    expect(result.stdout).toContain("        Claude Code's sandbox needs bwrap and socat, which are not installed;");
  });

  it('with -C checks the repository named, from anywhere', () => {
    const dir = repoWithPlan('agent: "true"');
    const out = json(doctor(['-C', dir, '--json'], tempDir('ccwave-elsewhere-')).stdout);
    expect(out.results.find((r) => r.id === 'env.worktrees')?.title).toBe(`worktree location ${dir}.ccwave writable`);
    expect(out.results.find((r) => r.id === 'env.plan')).toMatchObject({ status: 'ok', title: 'plan WAVES.md loads' });
  });

  it('fails on a plan with errors and points at validate', () => {
    const dir = repoWithPlan('agent: "true"\nconcurency: 2');
    const result = doctor(['--agent-command', fakeClaude()], dir);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('failed  plan: WAVES.md has 1 error  [env.plan]');
    expect(result.stdout).toContain('        `ccwave validate` lists them');
  });

  it('--json prints schemaVersion 1, the Claude version, every result and ok', () => {
    const claude = fakeClaude();
    const result = doctor(['--json', '--agent-command', claude], tempDir('ccwave-norepo-'));
    const out = json(result.stdout);
    expect(Object.keys(out)).toEqual(['schemaVersion', 'claudeVersion', 'results', 'ok']);
    expect(out).toMatchObject({ schemaVersion: 1, claudeVersion: '2.1.999' });
    expect(out.ok).toBe(!out.results.some((r) => r.status === 'failed'));
    expect(result.status).toBe(out.ok ? 0 : 1);
    for (const r of out.results) expect(['ok', 'changed', 'failed']).toContain(r.status);
    expect(out.results.map((r) => r.id)).toEqual(expect.arrayContaining(['env.plan', 'env.git-version', 'env.lock']));
  });

  it('names the Claude Code it checked in the header', () => {
    const claude = fakeClaude();
    const result = doctor(['--agent-command', claude], tempDir('ccwave-norepo-'));
    expect(result.lines[0]).toBe(`ccwave doctor: Claude Code 2.1.999 (${claude}, --agent-command)`);
  });

  it('fails when the Claude Code a run would start is not there', () => {
    const result = doctor(['--agent-command', '/nonexistent/claude'], tempDir('ccwave-norepo-'));
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('failed  Claude Code `/nonexistent/claude` (--agent-command) runs  [claude.found]');
    expect(result.stdout).toContain('        install Claude Code (npm install -g @anthropic-ai/claude-code), or name it with --agent-command');
  });
});

describe("ccwave run's warning about a Claude Code doctor has not passed", () => {
  const WARNING = /^warning: Claude Code 2\.1\.999 is newer than (\S+), the newest version `ccwave doctor` passed on this machine; run `ccwave doctor` before a long run$/m;

  function dryRun(passed: string[], flags: string[] = []) {
    const config = tempDir('ccwave-config-');
    for (const version of passed) rememberPassedVersion(version, new Date(), { XDG_CONFIG_HOME: config });
    const dir = repoWithPlan(`agent: { kind: claude, command: ${JSON.stringify(fakeClaude())} }`);
    return ccwave(['run', '--dry-run', '--no-tui', ...flags], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
  }

  it('is one line on stderr when the installed version is newer than every version doctor passed', () => {
    const result = dryRun(['2.1.330', '2.1.998']);
    expect(result.status).toBe(0);
    expect(WARNING.exec(result.stderr)?.[1]).toBe('2.1.998');
    expect(result.stderr.match(/warning: Claude Code/g)).toHaveLength(1);
  });

  it('stays off stdout with --json', () => {
    const result = dryRun(['2.1.998'], ['--json']);
    expect(result.stderr).toMatch(WARNING);
    expect(result.stdout).not.toContain('warning');
  });

  it('is quiet for a version doctor passed, an older one, and when doctor never passed one', () => {
    expect(dryRun(['2.1.999']).stderr).not.toMatch(/warning: Claude Code/);
    expect(dryRun(['2.1.1000']).stderr).not.toMatch(/warning: Claude Code/);
    expect(dryRun([]).stderr).not.toMatch(/warning: Claude Code/);
  });

  it('is quiet for an agent that is not Claude Code', () => {
    const config = tempDir('ccwave-config-');
    rememberPassedVersion('0.0.1', new Date(), { XDG_CONFIG_HOME: config });
    const dir = repoWithPlan(`agent: { kind: claude, command: [node, ${JSON.stringify(FAKE_AGENT)}] }`);
    const result = ccwave(['run', '--dry-run', '--no-tui'], { cwd: dir, env: { XDG_CONFIG_HOME: config } });
    expect(result.status).toBe(0);
    expect(result.stderr).not.toMatch(/warning: Claude Code/);
    expect(readFileSync(passedVersionsFile({ XDG_CONFIG_HOME: config }), 'utf8')).toContain('0.0.1');
  });
});
