import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';
import { commitTurn, journal, planRepo, runCcwave } from './plan-repo.js';
import { receiver } from './notify-receiver.js';
import { FOREVER_MS, startRun, until } from './stop-helpers.js';

/** A notify command that writes the event, task and folder it ran in, and what it read on stdin. */
function recordingCommand(out: string): string {
  return `printf '%s|%s|%s\\n' "$CCWAVE_EVENT" "$CCWAVE_TASK" "$PWD" >> '${out}/env.txt'; cat >> '${out}/stdin.jsonl'`;
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n');
}

/** Every file under `dir`, for a search through all a run wrote. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .filter((file) => statSync(file).isFile());
}

describe('ccwave run with notify', () => {
  it('tells a webhook and a command that a task failed, the wave finished and the run failed', async () => {
    const hook = await receiver();
    const out = tempDir();
    const repo = planRepo([[{ id: 'good' }, { id: 'crash', turns: [{ steps: [{ work: 100 }, { crash: 3 }], reply: '' }] }]], {
      retries: 0,
      notify: { command: recordingCommand(out), webhook: hook.url },
    });
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(1);
    expect(hook.requests.map((q) => q.body.event)).toEqual(['task-failed', 'wave-finished', 'run-failed']);
    expect(hook.requests[0]!.body).toMatchObject({ event: 'task-failed', task: 'crash', wave: 1, status: 'failed', text: expect.stringMatching(/^ccwave Test plan: crash failed: /) });
    expect(hook.requests[1]!.body).toMatchObject({ event: 'wave-finished', wave: 1, text: 'ccwave Test plan: wave 1 finished: 1 of 2 merged · 11.6k tokens, ~$0.03' });
    // The fake agent's default usage for the one turn of the task that worked.
    expect(hook.requests[1]!.body['usage']).toEqual({ tokens: 11_550, costUsd: 0.03 });
    expect(hook.requests[2]!.body).toMatchObject({ event: 'run-failed', exitCode: 1 });
    expect(lines(path.join(out, 'env.txt'))).toEqual([`task-failed|crash|${repo.dir}`, `wave-finished||${repo.dir}`, `run-failed||${repo.dir}`]);
    expect(lines(path.join(out, 'stdin.jsonl')).map((line) => JSON.parse(line) as unknown)).toEqual(hook.requests.map((q) => q.body));
    expect(journal(repo).filter((e) => e.type === 'notify-failed')).toEqual([]);
  });

  it('a receiver answering 500 and one that hangs neither slow nor fail the run: one notify-failed each, by host, the secret nowhere', async () => {
    const failing = await receiver(500);
    const hung = await receiver('hang');
    const out = tempDir();
    const repo = planRepo([[{ id: 'good' }]], {
      notify: { command: recordingCommand(out), webhook: [`${failing.url}/hooks/\${NOTIFY_TEST_SECRET}`, hung.url] },
    });
    const attemptMs = 300;
    const result = await runCcwave(repo, ['run', '--no-tui'], { CCWAVE_NOTIFY_TIMEOUT_MS: String(attemptMs), NOTIFY_TEST_SECRET: 'T0-B0-s3cret' });
    const exitedAt = Date.now();
    expect(result.status).toBe(0);
    // The working target got everything, the last notification included.
    expect(lines(path.join(out, 'env.txt')).map((line) => line.split('|')[0])).toEqual(['wave-finished', 'run-finished']);
    expect(failing.requests.map((q) => [q.path, q.body.event])).toEqual([
      ['/hooks/T0-B0-s3cret', 'wave-finished'],
      ['/hooks/T0-B0-s3cret', 'wave-finished'],
      ['/hooks/T0-B0-s3cret', 'run-finished'],
      ['/hooks/T0-B0-s3cret', 'run-finished'],
    ]);
    const events = journal(repo);
    const failed = events.filter((e) => e.type === 'notify-failed');
    expect(failed).toMatchObject([
      { notification: 'wave-finished', target: expect.any(String) },
      { notification: 'wave-finished', target: expect.any(String) },
    ]);
    expect(new Map(failed.map((e) => [e.target, e.error]))).toEqual(
      new Map([
        [failing.host, 'answered 500'],
        [hung.host, expect.stringMatching(/^(no answer within 300ms|not delivered when the run ended)/)],
      ]),
    );
    // Shown once per target, by host only.
    expect(result.stdout.match(/notification .* not delivered to .*/g)).toEqual([
      expect.stringContaining(`not delivered to ${failed[0]!.target}`),
      expect.stringContaining(`not delivered to ${failed[1]!.target}`),
    ]);
    // The end waited for deliveries no longer than its bound (two tries and the pause between),
    // with a margin for a busy machine.
    const finishedAt = Date.parse(events.find((e) => e.type === 'run-finished')!.at);
    expect(exitedAt - finishedAt).toBeLessThan(3 * attemptMs + 4_000);
    for (const file of filesUnder(path.join(repo.dir, '.git/ccwave'))) expect(readFileSync(file, 'utf8'), file).not.toContain('s3cret');
    expect(result.stdout + result.stderr).not.toContain('s3cret');
  });

  it('tells when an agent waits out a usage limit and when it goes on', async () => {
    const hook = await receiver();
    const repo = planRepo([[{ id: 'limited', turns: [{ steps: [{ work: 100 }, { usageLimit: { resetInSec: 2, format: 'epoch' } }], reply: '' }, commitTurn('limited.txt')] }]], {
      notify: { webhook: hook.url, events: ['usage-paused', 'usage-resumed', 'run-finished'] },
    });
    const result = await runCcwave(repo, ['run', '--no-tui']);
    expect(result.status).toBe(0);
    expect(hook.requests.map((q) => q.body.event)).toEqual(['usage-paused', 'usage-resumed', 'run-finished']);
    expect(hook.requests[0]!.body).toMatchObject({
      task: 'limited',
      until: expect.any(String),
      text: expect.stringMatching(/^ccwave Test plan: usage limit reached \(limited\): agents wait until \d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
    });
  });

  it('tells that the run was stopped, resumable, and a second stop does not wait for a receiver that hangs', async () => {
    const hook = await receiver();
    const hung = await receiver('hang');
    const repo = planRepo([[{ id: 'long', turns: [{ steps: [{ work: FOREVER_MS }], reply: '' }] }]], { notify: { webhook: [hook.url, hung.url] } });
    const live = startRun(repo, { CCWAVE_NOTIFY_TIMEOUT_MS: String(FOREVER_MS) });
    await until(() => journal(repo).some((e) => e.type === 'agent-state' && e.state === 'working'), 'the agent at work');
    live.kill('SIGINT');
    await until(() => hook.requests.length > 0, 'the stop told');
    // The hanging receiver would hold the end for minutes: a second stop is at once.
    live.kill('SIGINT');
    const result = await live.exited;
    expect(result.status).toBe(130);
    expect(hook.requests.map((q) => q.body)).toEqual([
      expect.objectContaining({ event: 'run-interrupted', reason: 'received SIGINT', text: 'ccwave Test plan: run stopped: received SIGINT; `ccwave run` resumes it' }),
    ]);
    expect(journal(repo).filter((e) => e.type === 'notify-failed')).toMatchObject([
      { notification: 'run-interrupted', target: hung.host, error: 'not delivered: the run was stopped at once (1 notification waiting)' },
    ]);
  });
});
