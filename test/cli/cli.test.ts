import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { ccwave, REPO_ROOT } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeRepo } from '../helpers/repo.js';
import { tempDir } from '../helpers/temp.js';

const version = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('the ccwave command', () => {
  it('prints help listing every command', () => {
    const result = ccwave(['--help']);
    expect(result.status).toBe(0);
    for (const command of buildProgram().commands) expect(result.stdout).toContain(command.name());
  });

  it.each(['--version', '-v', '-V'])('prints its version with %s', (flag) => {
    const result = ccwave([flag]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(version);
  });

  it.each(buildProgram().commands.map((c) => c.name()))('has --help for %s', (name) => {
    const result = ccwave([name, '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Usage: ccwave ${name}`);
  });

  it('says in demo --help how long the demo takes, as the README does', () => {
    const claim = (text: string) => /It takes about (.+?) and prints where the result is/.exec(text.replace(/\s+/g, ' '))?.[1];
    const readme = claim(readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8'));
    expect(readme).toBeDefined();
    expect(claim(ccwave(['demo', '--help']).stdout)).toBe(readme);
  });

  it('exits 2 on an unknown command or option', () => {
    expect(ccwave(['frobnicate']).status).toBe(2);
    expect(ccwave(['validate', '--frob']).status).toBe(2);
  });
});

describe('ccwave validate', () => {
  it('prints the resolved example plan', () => {
    const result = ccwave(['validate', 'waves/example.md']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Plan: textkit');
    expect(result.stdout).toMatch(/concurrency\s+2 {2}\[WAVES\.md\]/);
    expect(result.stdout).toContain('feature-003-cli  Command-line interface');
    expect(result.stdout).toContain('ok: 2 waves, 4 tasks');
  });

  it('prints the same plan as JSON', () => {
    const result = ccwave(['validate', 'waves/example.md', '--json']);
    expect(result.status).toBe(0);
    const body = JSON.parse(result.stdout) as {
      ok: boolean;
      plan: { waves: { tasks: { id: string; acceptanceCriteria: string[]; overrides: object }[] }[]; settings: { concurrency: number; timeout: number } };
    };
    expect(body.ok).toBe(true);
    expect(body.plan.settings).toMatchObject({ concurrency: 2, timeout: 3_600_000 });
    const cli = body.plan.waves[1]!.tasks[0]!;
    expect(cli.id).toBe('feature-003-cli');
    expect(cli.acceptanceCriteria).toHaveLength(4);
    expect(cli.overrides).toEqual({ verify: 'npm test', timeout: 1_800_000 });
  });

  it('lists every problem with file:line:col, exits 2 and leaves git alone', () => {
    const repo = makeRepo().dir;
    writeFileSync(path.join(repo, 'WAVES.md'), '---\nconcurency: 2\n---\n## Wave 1\n\n- feature-404\n');
    git(repo, 'add', 'WAVES.md');
    git(repo, 'commit', '-qm', 'plan');
    const head = git(repo, 'rev-parse', 'HEAD');
    const result = ccwave(['validate'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('WAVES.md:2:1: error: unknown setting `concurency`\n  hint: did you mean `concurrency`?');
    expect(result.stderr).toContain('WAVES.md:6:3: error: cannot look up `feature-404`');
    expect(result.stderr).toContain('2 errors in the plan');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('reports the problems as JSON too', () => {
    const repo = makeRepo().dir;
    const result = ccwave(['validate', '--json'], { cwd: repo });
    expect(result.status).toBe(2);
    const body = JSON.parse(result.stdout) as { ok: boolean; diagnostics: { message: string; line: number }[] };
    expect(body).toMatchObject({ ok: false, diagnostics: [{ message: 'plan not found', line: 1 }] });
  });
});

describe('ccwave init', () => {
  it('writes a starter plan that validates, and refuses to overwrite it', () => {
    const repo = makeRepo().dir;
    const first = ccwave(['init'], { cwd: repo });
    expect(first.status).toBe(0);
    const prompt = path.join(repo, 'feature-management/features/feature-001-first-feature/PROMPT.md');
    expect(existsSync(path.join(repo, 'WAVES.md'))).toBe(true);
    expect(readFileSync(prompt, 'utf8')).toMatch(/^# Feature: My first feature\n\n## Overview/);
    const validated = ccwave(['validate'], { cwd: repo });
    expect(validated.status).toBe(0);
    expect(validated.stdout).toContain('ok: 1 wave, 1 task');

    writeFileSync(prompt, 'my own words\n');
    const second = ccwave(['init'], { cwd: repo });
    expect(second.status).toBe(2);
    expect(second.stderr).toMatch(/not overwriting WAVES\.md and feature-management\/features\/feature-001-first-feature\/PROMPT\.md/);
    expect(readFileSync(prompt, 'utf8')).toBe('my own words\n');
  });

  it("warns at validate and run while the starter feature still holds the template's placeholder text", () => {
    const repo = makeRepo().dir;
    expect(ccwave(['init'], { cwd: repo }).status).toBe(0);
    const prompt = path.join(repo, 'feature-management/features/feature-001-first-feature/PROMPT.md');
    const unedited = ccwave(['validate'], { cwd: repo });
    expect(unedited.status).toBe(0);
    expect(unedited.stdout).toMatch(/PROMPT\.md:4:1: warning: .*placeholder text of the starter template/);
    expect(unedited.stdout).toContain('ok: 1 wave, 1 task, 1 warning');
    expect(ccwave(['run', '--dry-run'], { cwd: repo }).stderr).toMatch(/warning: .*placeholder text/);

    writeFileSync(prompt, '# Feature: Greeting\n\n## Overview\nPrint hello.\n\n## Acceptance Criteria\n- [ ] `hello` prints hello\n');
    const edited = ccwave(['validate'], { cwd: repo });
    expect(edited.status).toBe(0);
    expect(edited.stdout).not.toContain('placeholder');
  });

  it('from a subdirectory, puts the feature where the plan looks for it: under the repository root', () => {
    const repo = makeRepo().dir;
    const sub = path.join(repo, 'docs');
    mkdirSync(sub);
    const init = ccwave(['init'], { cwd: sub });
    expect(init.status).toBe(0);
    expect(init.stdout).toContain('wrote ../feature-management/features/feature-001-first-feature/PROMPT.md');
    expect(existsSync(path.join(sub, 'WAVES.md'))).toBe(true);
    const validated = ccwave(['validate'], { cwd: sub });
    expect(validated.stderr).toBe('');
    expect(validated.status).toBe(0);
  });

  it('writes nothing through a symlink a landed branch left in the checkout', () => {
    const repo = makeRepo().dir;
    const outside = tempDir('ccwave-outside-');
    symlinkSync(outside, path.join(repo, 'feature-management'));
    symlinkSync(path.join(outside, 'plan.md'), path.join(repo, 'WAVES.md'));
    const result = ccwave(['init'], { cwd: repo });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/not writing through the symlinks `WAVES\.md` and `feature-management`/);
    expect(readdirSync(outside)).toEqual([]);
  });
});
