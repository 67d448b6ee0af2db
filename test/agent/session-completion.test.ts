import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createCommandAdapter } from '../../src/agent/command/command-adapter.js';
import { runAgentTask } from '../../src/agent/session.js';
import { MESSAGES } from '../../src/agent/turn-policy.js';
import { eventLog, runFake, taskFor } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';
import { processGroupMembers } from './helpers/processes.js';
import { waitFor } from './helpers/wait.js';

let repo: TaskRepo;
afterEach(() => repo?.cleanup());

const work = (file: string, message = `add ${file}`) => [{ work: 200 }, { write: file, content: `${file}\n` }, { commit: message }];
const inputs = (actions: string[]) => actions.filter((a) => a.startsWith('input: ')).map((a) => a.slice('input: '.length));

async function expectNoProcessLeft(pgid: number): Promise<void> {
  await waitFor(() => processGroupMembers(pgid).length === 0, 5_000, `process group ${pgid} gone`);
}

describe('agent session with the fake agent: completion', () => {
  it('clean finish: trust dialog answered on screen, commit on the branch, session ended', async () => {
    repo = makeTaskRepo();
    const { result, log, pgid } = await runFake(repo, { startup: ['trust'], turns: [{ steps: work('a.txt'), reply: 'Done: a.txt.' }] });
    expect(result).toMatchObject({ status: 'done', lastMessage: 'Done: a.txt.' });
    expect(result.commits).toHaveLength(1);
    expect(repo.git('log', '-1', '--format=%s', repo.branch)).toBe('add a.txt');
    expect(log.actions()).toContain('dialog: trust dialog: accepted');
    const hooks = log.events.flatMap((e) => (e.type === 'hook' ? [e.event.hook_event_name] : []));
    expect(hooks).toEqual(['SessionStart', 'UserPromptSubmit', 'Stop', 'SessionEnd']);
    const states = log.events.flatMap((e) => (e.type === 'state' ? [e.state.kind] : []));
    expect(states[0]).toBe('waiting');
    expect(states).toContain('working');
    expect(states.at(-1)).toBe('done');
    expect(result.transcriptPath).toMatch(/\.jsonl$/);
    expect(readFileSync(result.screenPath!, 'utf8')).toContain('Done: a.txt.');
    await expectNoProcessLeft(pgid);
  });

  it('uncommitted changes: asks the agent to commit, then done', async () => {
    repo = makeTaskRepo();
    const script = {
      turns: [
        { steps: [{ write: 'a.txt', content: 'a\n' }], reply: 'I wrote a.txt.' },
        { steps: [{ commit: 'add a.txt' }], reply: 'Committed.' },
      ],
    };
    const { result, log } = await runFake(repo, script);
    expect(result.status).toBe('done');
    expect(inputs(log.actions())).toEqual([MESSAGES.commit]);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('uncommitted changes with commitPolicy auto: ccwave commits them', async () => {
    repo = makeTaskRepo();
    const { result } = await runFake(
      repo,
      { turns: [{ steps: [{ write: 'a.txt', content: 'a\n' }], reply: 'Wrote it.' }] },
      {
        policy: { commitPolicy: 'auto' },
      },
    );
    expect(result.status).toBe('done');
    expect(repo.git('log', '-1', '--format=%s')).toBe(MESSAGES.autoCommit);
  });

  it('a question and nothing done: nudges N times, then fails needing attention with the last message', async () => {
    repo = makeTaskRepo();
    const ask = { steps: [{ work: 100 }], reply: 'Should I use Postgres or SQLite?' };
    const { result, log } = await runFake(repo, { turns: [ask], afterLastTurn: ask }, { policy: { maxNudges: 2 } });
    expect(result.status).toBe('failed');
    expect(result.reason).toBe('needs attention: no commits after 2 nudges. Last message: Should I use Postgres or SQLite?');
    expect(inputs(log.actions())).toEqual([MESSAGES.nudge, MESSAGES.nudge]);
  });

  it('crash: fails with the exit code and keeps the last screen', async () => {
    repo = makeTaskRepo();
    const { result } = await runFake(repo, { turns: [{ steps: [{ say: 'about to crash' }, { work: 300 }, { crash: 3 }] }] });
    expect(result).toMatchObject({ status: 'failed' });
    expect(result.reason).toMatch(/^the agent exited unexpectedly \(code 3\)/);
    expect(readFileSync(result.screenPath!, 'utf8')).toContain('about to crash');
  });

  it('hang: idle timeout, last screen saved, nothing left running', async () => {
    repo = makeTaskRepo();
    const script = { turns: [{ steps: [{ say: 'thinking hard' }, { hang: true }] }] };
    const { result, pgid } = await runFake(repo, script, { timeouts: { wallMs: 60_000, idleMs: 1_500 } });
    expect(result.status).toBe('timeout');
    expect(result.reason).toMatch(/^idle timeout: no output and no events for 1500ms$/);
    expect(readFileSync(result.screenPath!, 'utf8')).toContain('thinking hard');
    await expectNoProcessLeft(pgid);
  });

  it('busy for ever: wall-clock timeout', async () => {
    repo = makeTaskRepo();
    const { result } = await runFake(repo, { turns: [{ steps: [{ work: 120_000 }] }] }, { timeouts: { wallMs: 2_000, idleMs: 20_000 } });
    expect(result).toMatchObject({ status: 'timeout', reason: 'wall-clock timeout after 2s' });
  });

  it('interrupted by the runner: status interrupted, session id kept for resuming', async () => {
    repo = makeTaskRepo();
    const abort = new AbortController();
    const { result } = await runFake(
      repo,
      { turns: [{ steps: [{ work: 120_000 }] }] },
      {
        signal: abort.signal,
        onEvent: (e) => {
          if (e.type === 'state' && e.state.kind === 'working') abort.abort();
        },
      },
    );
    expect(result.status).toBe('interrupted');
    expect(result.sessionId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('command adapter', () => {
  const script = (body: string) => createCommandAdapter({ shell: body });

  it('done on exit 0 with a commit; the prompt file is there', async () => {
    repo = makeTaskRepo();
    const log = eventLog();
    const result = await runAgentTask({
      adapter: script('grep -q "Feature: test" "$CCWAVE_PROMPT_FILE" && echo x > x.txt && git add x.txt && git commit -qm "add x"'),
      task: taskFor(repo),
      timeouts: { wallMs: 30_000, idleMs: 10_000 },
      onEvent: log.onEvent,
    });
    expect(result).toMatchObject({ status: 'done' });
    expect(result.commits).toHaveLength(1);
  });

  it.each([
    ['exit 1', 'exit 1', 'the command exited with code 1'],
    ['a program not found', './not-committed.sh', 'the command exited with code 127 (a program it ran was not found: is it committed, or on PATH? a worktree holds only committed files)'],
    ['no commit', 'true', 'the command exited with code 0 but made no commits'],
    ['uncommitted', 'echo x > x.txt', 'the command exited leaving uncommitted changes'],
  ])('fails on %s', async (_name, body, reason) => {
    repo = makeTaskRepo();
    const result = await runAgentTask({ adapter: script(body), task: taskFor(repo), timeouts: { wallMs: 30_000, idleMs: 10_000 } });
    expect(result).toMatchObject({ status: 'failed', reason });
    expect(existsSync(result.rawLogPath)).toBe(true);
  });
});
