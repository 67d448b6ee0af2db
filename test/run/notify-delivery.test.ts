import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunRecorder } from '../../src/journal/recorder.js';
import { initialRunState } from '../../src/journal/run-state.js';
import type { NewJournalEvent } from '../../src/journal/index.js';
import { NOTIFY_EVENTS, type NotifySettings } from '../../src/plan/notify-setting.js';
import { isLive } from '../../src/process/process-group.js';
import { startNotifier } from '../../src/run/notify-run.js';
import type { NotifyTiming } from '../../src/run/notify-queue.js';
import { memoryJournal, runStartedEvent } from '../helpers/journal.js';
import { tempDir } from '../helpers/temp.js';
import { RUN } from './notify-journal.js';
import { receiver } from './notify-receiver.js';

/** The notifications RUN calls for, in order (see notify-message.test.ts). */
const SENT = [
  'task-waiting',
  'usage-paused',
  'usage-resumed',
  'usage-paused',
  'usage-resumed',
  'task-failed',
  'task-failed',
  'task-over-budget',
  'task-conflict',
  'task-failed',
  'wave-finished',
  'run-interrupted',
  'run-failed',
  'run-finished',
];

/** Short tries for receivers that never answer well: their outcome does not depend on the time. */
const QUICK: NotifyTiming = { attemptMs: 300, retryDelayMs: 10, endWaitMs: 1_000 };

/** A notify command that writes what it got: its variables and folder to env.txt, its stdin to stdin.jsonl. */
function recordingCommand(out: string): string {
  return `printf '%s|%s|%s|%s|%s|%s\\n' "$CCWAVE_EVENT" "$CCWAVE_TASK" "$CCWAVE_WAVE" "$CCWAVE_RUN_ID" "$CCWAVE_EXIT_CODE" "$PWD" >> '${out}/env.txt'; cat >> '${out}/stdin.jsonl'`;
}

function run(settings: Partial<NotifySettings>, options: { timing?: NotifyTiming; env?: NodeJS.ProcessEnv } = {}) {
  const root = tempDir('ccwave-notify-root-');
  const journal = memoryJournal();
  const recorder = new RunRecorder(journal, initialRunState());
  const notifier = startNotifier({ command: undefined, webhooks: [], events: [...NOTIFY_EVENTS], ...settings }, recorder, { root, ...options })!;
  const failures = () => journal.events.filter((e) => e.type === 'notify-failed');
  return { root, journal, recorder, notifier, failures, record: (events: NewJournalEvent[]) => events.forEach((e) => recorder.record(e)) };
}

function lines(file: string): string[] {
  return readFileSync(file, 'utf8').trimEnd().split('\n');
}

describe('notifications delivered', () => {
  it('every kind reaches a webhook (JSON with a text line) and a command (JSON on stdin, variables, the repository root), in order', async () => {
    const hook = await receiver();
    const out = tempDir();
    const r = run({ command: recordingCommand(out), webhooks: [hook.url] });
    r.record(RUN);
    await r.notifier.close();
    expect(hook.requests.map((q) => q.body.event)).toEqual(SENT);
    expect(new Set(SENT)).toEqual(new Set(NOTIFY_EVENTS));
    expect(hook.requests[0]).toEqual({
      path: '/',
      contentType: 'application/json',
      body: {
        event: 'task-waiting',
        text: 'ccwave Night plan: ok is waiting for a person: Bash(rm -rf build) ‹!channel›',
        runId: 'r1',
        plan: 'Night plan',
        at: expect.any(String),
        task: 'ok',
        wave: 1,
        reason: 'Bash(rm -rf build) <!channel>',
      },
    });
    const stdin = lines(path.join(out, 'stdin.jsonl')).map((line) => JSON.parse(line) as unknown);
    expect(stdin).toEqual(hook.requests.map((q) => q.body));
    const env = lines(path.join(out, 'env.txt'));
    expect(env).toHaveLength(SENT.length);
    expect(env[0]).toBe(`task-waiting|ok|1|r1||${r.root}`);
    expect(env[5]).toBe(`task-failed|bad|1|r1||${r.root}`);
    expect(env.at(-2)).toBe(`run-failed|||r1|1|${r.root}`);
    // Only the failure RUN itself holds: every delivery here went through.
    expect(r.failures().map((f) => f.target)).toEqual(['hooks.example.com']);
  });

  it('only the selected events are sent', async () => {
    const hook = await receiver();
    const r = run({ webhooks: [hook.url], events: ['task-failed', 'run-finished'] });
    r.record(RUN);
    await r.notifier.close();
    expect(hook.requests.map((q) => q.body.event)).toEqual(['task-failed', 'task-failed', 'task-failed', 'run-finished']);
  });
});

describe('a notification never fails the run', () => {
  const someEvents: NewJournalEvent[] = [runStartedEvent([['a']]), { type: 'task-finished', task: 'a', status: 'failed', reason: 'exit 3', commits: 0 }, { type: 'run-finished', exitCode: 1 }];

  it('a receiver answering 500 is tried twice a notification and reported once, by its host; the secret in its URL never shows', async () => {
    const hook = await receiver(500);
    const r = run({ webhooks: [`${hook.url}/hooks/\${HOOK_SECRET}`] }, { timing: { ...QUICK, attemptMs: 5_000, endWaitMs: 20_000 }, env: { HOOK_SECRET: 'T0-B0-s3cret' } });
    r.record(someEvents);
    await r.notifier.close();
    expect(hook.requests.map((q) => [q.path, q.body.event])).toEqual([
      ['/hooks/T0-B0-s3cret', 'task-failed'],
      ['/hooks/T0-B0-s3cret', 'task-failed'],
      ['/hooks/T0-B0-s3cret', 'run-failed'],
      ['/hooks/T0-B0-s3cret', 'run-failed'],
    ]);
    expect(r.failures()).toMatchObject([{ notification: 'task-failed', target: hook.host, error: 'answered 500' }]);
    expect(JSON.stringify(r.journal.events)).not.toContain('s3cret');
  });

  it('a receiver that never answers holds up neither the run nor the other targets; the end waits its bound and reports it once', async () => {
    const hung = await receiver('hang');
    const out = tempDir();
    const r = run({ command: recordingCommand(out), webhooks: [hung.url] }, { timing: QUICK });
    r.record(someEvents);
    const closing = Date.now();
    await r.notifier.close();
    // The bound is QUICK.endWaitMs; the margin is for a busy machine, not for the notifications.
    expect(Date.now() - closing).toBeLessThan(QUICK.endWaitMs + 2_000);
    expect(lines(path.join(out, 'env.txt')).map((line) => line.split('|')[0])).toEqual(['task-failed', 'run-failed']);
    expect(r.failures()).toMatchObject([{ notification: 'task-failed', target: hung.host, error: 'no answer within 300ms' }]);
  });

  it('what is still queued when the run ends is given up and reported once', async () => {
    const hung = await receiver('hang');
    const r = run({ webhooks: [hung.url] }, { timing: { attemptMs: 10_000, retryDelayMs: 10, endWaitMs: 300 } });
    r.record(someEvents);
    await r.notifier.close();
    expect(r.failures()).toMatchObject([{ notification: 'task-failed', target: hung.host, error: 'not delivered when the run ended (2 notifications still waiting after 300ms)' }]);
  });

  it('a stop at once cuts the end short: what is left is given up and reported once', async () => {
    const hung = await receiver('hang');
    const r = run({ webhooks: [hung.url] }, { timing: { attemptMs: 60_000, retryDelayMs: 10, endWaitMs: 120_000 } });
    r.record(someEvents);
    const now = new AbortController();
    const closed = r.notifier.close(now.signal);
    await expect.poll(() => hung.requests.length).toBe(1);
    now.abort();
    await closed;
    expect(r.failures()).toMatchObject([{ notification: 'task-failed', target: hung.host, error: 'not delivered: the run was stopped at once (2 notifications waiting)' }]);
  });

  it('a webhook the environment gives whole is named by its host', async () => {
    const hook = await receiver(404);
    const r = run({ webhooks: ['${NOTIFY_TEST_URL}'] }, { timing: QUICK, env: { NOTIFY_TEST_URL: `${hook.url}/services/s3cret` } });
    r.record(someEvents);
    await r.notifier.close();
    expect(hook.requests.map((q) => q.path)).toEqual(Array(4).fill('/services/s3cret'));
    expect(r.failures()).toMatchObject([{ notification: 'task-failed', target: hook.host, error: 'answered 404' }]);
    expect(JSON.stringify(r.journal.events)).not.toContain('s3cret');
  });

  it('a webhook whose variable is not set, or that refuses connections, is reported with why', async () => {
    const gone = await receiver();
    const r = run({ webhooks: ['${CCWAVE_TEST_UNSET_HOOK}', 'http://127.0.0.1:9/x'] }, { timing: QUICK, env: {} });
    r.record(someEvents);
    await r.notifier.close();
    expect(r.failures()).toMatchObject([
      { notification: 'task-failed', target: '${CCWAVE_TEST_UNSET_HOOK}', error: 'environment variable CCWAVE_TEST_UNSET_HOOK is not set' },
      { notification: 'task-failed', target: '127.0.0.1:9', error: expect.stringMatching(/^ECONNREFUSED/) },
    ]);
    expect(gone.requests).toEqual([]);
  });

  it('a failing command is run twice and reported once with its exit code and last line', async () => {
    const out = tempDir();
    const r = run({ command: `echo tried >> '${out}/tries'; echo boom >&2; exit 3`, events: ['task-failed'] }, { timing: QUICK });
    r.record(someEvents);
    await r.notifier.close();
    expect(lines(path.join(out, 'tries'))).toEqual(['tried', 'tried']);
    expect(r.failures()).toMatchObject([{ notification: 'task-failed', target: `echo tried >> '${out}/tries'; echo boom >&2; exit 3`.slice(0, 59) + '…', error: 'exit 3: boom' }]);
  });

  it('a command that hangs has its whole process group ended at its time', async () => {
    const out = tempDir();
    const r = run({ command: `echo $$ >> '${out}/pids'; sleep 60 & echo $! >> '${out}/pids'; wait`, events: ['run-failed'] }, { timing: QUICK });
    r.record(someEvents);
    await r.notifier.close();
    expect(r.failures()).toMatchObject([{ notification: 'run-failed', error: 'no answer within 300ms' }]);
    const pids = lines(path.join(out, 'pids')).map(Number);
    expect(pids).toHaveLength(4);
    await expect.poll(() => pids.filter(isLive), { timeout: 5_000 }).toEqual([]);
  });
});

describe('the notify setting off', () => {
  it('starts nothing', () => {
    const journal = memoryJournal();
    expect(startNotifier(undefined, new RunRecorder(journal, initialRunState()), { root: '/' })).toBeUndefined();
  });
});
