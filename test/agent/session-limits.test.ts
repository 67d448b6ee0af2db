import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MESSAGES } from '../../src/agent/turn-policy.js';
import { runFake, taskFor } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';

let repo: TaskRepo;
afterEach(() => repo?.cleanup());

const commitFile = (file: string) => [{ write: file, content: `${file}\n` }, { commit: `add ${file}` }];
const inputs = (actions: string[]) => actions.filter((a) => a.startsWith('input: ')).map((a) => a.slice('input: '.length));

describe('agent session with the fake agent: limits, errors, resume, verify', () => {
  it('usage limit: pauses until the reset time, then sends "continue"', async () => {
    repo = makeTaskRepo();
    // Kept short: the wait's arithmetic (reset plus margin, never earlier) is in session-core-limits.test.ts.
    const script = { turns: [{ steps: [{ work: 200 }, { usageLimit: { resetInSec: 1, format: 'epoch' } }] }, { steps: commitFile('a.txt'), reply: 'Done.' }] };
    const { result, log } = await runFake(repo, script, {
      timeouts: { wallMs: 60_000, idleMs: 1_500 },
      policy: { usageResetMarginMs: 200 },
    });
    expect(result.status).toBe('done');
    expect(log.actions().some((a) => a.startsWith('paused: usage limit until'))).toBe(true);
    expect(inputs(log.actions())).toEqual(['continue']);
    const states = log.events.flatMap((e) => (e.type === 'state' ? [e.state.kind] : []));
    expect(states.filter((k) => k === 'paused')).toHaveLength(1);
    // Not a second too early: the fake agent counts messages sent before its reset time.
    const stateFile = readdirSync(join(repo.root, 'fake-state')).find((f) => f.endsWith('.json'))!;
    expect(JSON.parse(readFileSync(join(repo.root, 'fake-state', stateFile), 'utf8'))).toMatchObject({ earlyContinues: 0 });
  });

  it('API error ending the turn: waits, sends a follow-up, never counts it as done', async () => {
    repo = makeTaskRepo();
    const script = { turns: [{ steps: [...commitFile('a.txt'), { apiError: 429 }] }, { steps: commitFile('b.txt'), reply: 'Done.' }] };
    const { result, log } = await runFake(repo, script);
    expect(result.status).toBe('done');
    expect(result.commits).toHaveLength(2);
    expect(log.actions()).toContain('api-retry-wait: 0s');
    expect(inputs(log.actions())).toEqual([MESSAGES.apiRetry]);
  });

  it('session id already in use: resumes that session instead', async () => {
    repo = makeTaskRepo();
    const script = {
      turns: [
        { steps: commitFile('a.txt'), reply: 'First.' },
        { steps: commitFile('b.txt'), reply: 'Second.' },
      ],
    };
    const task = taskFor(repo);
    const first = await runFake(repo, script, { task });
    expect(first.result.status).toBe('done');
    const second = await runFake(repo, script, { task });
    expect(second.result).toMatchObject({ status: 'done', lastMessage: 'Second.' });
    expect(second.log.actions()).toContain('resume: session id already in use; resuming it');
    const launches = second.log.events.flatMap((e) => (e.type === 'launch' ? [e.resumed] : []));
    expect(launches).toEqual([false, true]);
  });

  it('verify command: the Stop hook blocks while it fails, the agent fixes it, then done', async () => {
    repo = makeTaskRepo();
    const script = {
      turns: [
        { steps: commitFile('a.txt'), reply: 'Done, I think.' },
        { steps: commitFile('verified.txt'), reply: 'Fixed.' },
      ],
    };
    const { result, log } = await runFake(repo, script, { claude: { verify: { command: 'test -f verified.txt || { echo "verified.txt missing"; exit 1; }' } } });
    expect(result).toMatchObject({ status: 'done', lastMessage: 'Fixed.' });
    const verdicts = log.events.flatMap((e) => (e.type === 'hook' && e.event.ccwave_verify ? [e.event.ccwave_verify] : []));
    expect(verdicts).toEqual([
      { ok: false, attempt: 1, blocked: true, output: 'verified.txt missing\n' },
      { ok: true, attempt: 2, blocked: false, output: '' },
    ]);
    expect(inputs(log.actions())).toEqual([]);
  });
});
