import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { ccwave } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { planRepo } from '../run/plan-repo.js';

const commands = buildProgram().commands.map((c) => c.name());

describe('-C <dir>, as with git -C', () => {
  it.each(commands)('is offered by %s', (name) => {
    const help = ccwave([name, '--help']).stdout;
    expect(help).toMatch(/-C <dir>\s+run as if ccwave was started in <dir>/);
  });

  it('works before or after the command, for every command that reads a repository', () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    const elsewhere = tempDir('ccwave-elsewhere-');
    for (const args of [
      ['-C', repo.dir, 'validate'],
      ['validate', '-C', repo.dir],
      ['-C', repo.dir, 'run', '--dry-run'],
      ['run', '--dry-run', '-C', repo.dir],
      ['-C', repo.dir, 'status'],
      ['status', '-C', repo.dir],
      ['-C', repo.dir, 'clean', '--dry-run'],
    ]) {
      const result = ccwave(args, { cwd: elsewhere });
      expect({ args, stderr: result.stderr, status: result.status }).toEqual({ args, stderr: '', status: 0 });
    }
    expect(ccwave(['-C', repo.dir, 'run', '--dry-run'], { cwd: elsewhere }).stdout).toContain('would start a new run of Test plan');
    expect(ccwave(['status', '-C', repo.dir], { cwd: elsewhere }).stdout).toContain('No ccwave runs');
    // A relative plan path is taken from <dir>, as git takes paths after -C.
    expect(ccwave(['-C', path.dirname(repo.dir), 'validate', 'repo/WAVES.md'], { cwd: elsewhere }).status).toBe(0);
  });

  it('writes init into <dir>, and keeps init --dir and status --cwd working', () => {
    const first = tempDir('ccwave-init-');
    expect(ccwave(['-C', first, 'init'], { cwd: tempDir() }).status).toBe(0);
    expect(existsSync(path.join(first, 'WAVES.md'))).toBe(true);
    const second = tempDir('ccwave-init-');
    expect(ccwave(['init', '--dir', second], { cwd: tempDir() }).status).toBe(0);
    expect(existsSync(path.join(second, 'WAVES.md'))).toBe(true);
    const repo = planRepo([[{ id: 'task-a' }]]);
    const status = ccwave(['status', '--cwd', repo.dir], { cwd: tempDir() });
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('No ccwave runs');
  });

  it('refuses a folder that does not exist, exit 2', () => {
    const missing = path.join(tempDir(), 'nope');
    const result = ccwave(['-C', missing, 'status']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(missing);
    expect(result.stderr).not.toMatch(/internal error/);
  });
});

describe('finding the repository and the plan', () => {
  it('takes the repository from the working directory when the plan file lives outside any repository', () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    const outside = path.join(tempDir('ccwave-plans-'), 'WAVES.md');
    writeFileSync(outside, readFileSync(path.join(repo.dir, 'WAVES.md')));
    const validate = ccwave(['validate', outside], { cwd: repo.dir });
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    const dry = ccwave(['run', '--dry-run', outside], { cwd: repo.dir });
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
  });

  it('finds WAVES.md at the repository root from a subdirectory', () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    const sub = path.join(repo.dir, 'src/deep');
    mkdirSync(sub, { recursive: true });
    const validate = ccwave(['validate'], { cwd: sub });
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    const dry = ccwave(['run', '--dry-run'], { cwd: sub });
    expect(dry.stderr).toBe('');
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('task-a');
  });

  it('names every place it looked when there is no plan', () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    rmSync(path.join(repo.dir, 'WAVES.md'));
    const sub = path.join(repo.dir, 'src');
    mkdirSync(sub);
    for (const command of ['validate', 'run']) {
      const result = ccwave([command], { cwd: sub });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(path.join(sub, 'WAVES.md'));
      expect(result.stderr).toContain(path.join(repo.dir, 'WAVES.md'));
    }
    const json = JSON.parse(ccwave(['validate', '--json'], { cwd: sub }).stdout) as { diagnostics: { message: string; hint?: string }[] };
    expect(json.diagnostics[0]!.hint).toContain(path.join(repo.dir, 'WAVES.md'));
  });
});
