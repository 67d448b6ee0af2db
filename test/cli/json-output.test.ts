import { rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ccwave } from '../helpers/cli.js';
import { planRepo, runCcwave } from '../run/plan-repo.js';

/** The documented top-level fields of `status --json`: adding one is fine, renaming or dropping one is not. */
const RUN_FIELDS = [
  'activity',
  'base',
  'ccwaveVersion',
  'exitCode',
  'finishedAt',
  'id',
  'integration',
  'interruptions',
  'land',
  'landRefusal',
  'limitPause',
  'notifyFailures',
  'plan',
  'rateLimits',
  'startedAt',
  'status',
  'tasks',
  'tests',
  'updatedAt',
  'usage',
  'waves',
];
const TASK_FIELDS = ['actions', 'agent', 'attempts', 'branch', 'commits', 'finishedAt', 'id', 'lastMessage', 'merge', 'reason', 'startedAt', 'status', 'tipSha', 'title', 'usage', 'wave', 'worktree'];

describe('JSON output', () => {
  it('status --json is JSON with a schema version even before any run', () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    const result = ccwave(['status', '--json'], { cwd: repo.dir });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ schemaVersion: 1, run: null, warnings: [] });
  });

  it('run --json starts with run-started, and status --json is the documented shape', async () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    const run = await runCcwave(repo, ['run', '--json']);
    expect(run.status).toBe(0);
    const events = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; v: number; seq: number });
    expect(events[0]).toMatchObject({ type: 'run-started', seq: 1, v: 1 });
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.at(-1)!.type).toBe('run-finished');

    const status = ccwave(['status', '--json'], { cwd: repo.dir });
    expect(status.status).toBe(0);
    const body = JSON.parse(status.stdout) as { schemaVersion: number; run: Record<string, unknown> & { tasks: Array<Record<string, unknown>>; activity: { kind: string } } };
    expect(body.schemaVersion).toBe(1);
    expect(Object.keys(body.run).sort()).toEqual(RUN_FIELDS);
    expect(body.run.activity.kind).toBe('finished');
    const [task] = body.run.tasks;
    expect(Object.keys(task!).sort()).toEqual(TASK_FIELDS);
    expect(task).toMatchObject({ id: 'task-a', wave: 1, status: 'done', agent: null, commits: 1 });
    expect(task!.branch).toMatch(/^ccwave\/.+\/w1\/task-a$/);
    expect(path.isAbsolute(task!.worktree as string)).toBe(true);
    expect(task!.merge).toMatchObject({ status: 'merged' });
  });

  it('validate --json carries a schema version, valid or not', () => {
    const repo = planRepo([[{ id: 'task-a' }]]);
    const ok = JSON.parse(ccwave(['validate', '--json'], { cwd: repo.dir }).stdout) as { schemaVersion: number; ok: boolean };
    expect(ok).toMatchObject({ schemaVersion: 1, ok: true });
    rmSync(path.join(repo.dir, 'WAVES.md'));
    const bad = ccwave(['validate', '--json'], { cwd: repo.dir });
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ schemaVersion: 1, ok: false });
  });
});
