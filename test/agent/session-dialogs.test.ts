import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY_REASON } from '../../src/agent/dialog-policy.js';
import { MESSAGES } from '../../src/agent/turn-policy.js';
import { runFake } from './helpers/fake-agent.js';
import { makeTaskRepo, type TaskRepo } from './helpers/git-repo.js';

let repo: TaskRepo;
afterEach(() => repo?.cleanup());

const commitFile = (file: string) => [{ write: file, content: `${file}\n` }, { commit: `add ${file}` }];
const inputs = (actions: string[]) => actions.filter((a) => a.startsWith('input: ')).map((a) => a.slice('input: '.length));

describe('agent session with the fake agent: dialogs and permission prompts', () => {
  it('permission policy approve: answers yes, the work goes on', async () => {
    repo = makeTaskRepo();
    const script = { turns: [{ steps: [{ permission: 'Bash(rm -rf build)' }, ...commitFile('a.txt')], reply: 'Done.' }] };
    const { result, log } = await runFake(repo, script, { policy: { permission: 'approve' } });
    expect(result.status).toBe('done');
    expect(log.actions()).toContain('dialog: permission approved: Do you want to proceed?');
    expect(inputs(log.actions())).toEqual([]);
  });

  it('permission policy approve picks "Yes" by its text, never a wider "Yes, and ..." under the cursor', async () => {
    repo = makeTaskRepo();
    const menu = ["Yes, and don't ask again for: node *", 'Yes, and switch to auto mode', 'Yes', 'No'];
    const script = { turns: [{ steps: [{ permission: 'Bash(node x.js)', menu, selected: 0 }, ...commitFile('a.txt')], reply: 'Done.' }] };
    const { result, log } = await runFake(repo, script, { policy: { permission: 'approve' } });
    expect(result.status).toBe('done');
    expect(log.actions().filter((a) => a.startsWith('dialog:'))).toEqual([
      'dialog: permission menu: moving to "Yes"',
      'dialog: permission menu: moving to "Yes"',
      'dialog: permission approved: Do you want to proceed?',
    ]);
    expect(readFileSync(result.rawLogPath, 'utf8')).toContain('Chose: Yes\r');
  });

  it('permission policy approve refuses a menu without a plain "Yes" rather than guess', async () => {
    repo = makeTaskRepo();
    const menu = ["Yes, and don't ask again for: node *", 'No'];
    const script = { turns: [{ steps: [{ permission: 'Bash(node x.js)', menu }, ...commitFile('a.txt')], reply: 'Done.' }] };
    const { result } = await runFake(repo, script, { policy: { permission: 'approve' } });
    expect(result).toMatchObject({ status: 'failed', reason: expect.stringContaining('the permission menu has no plain "Yes"') });
  });

  it('permission policy deny: answers no, the interrupted turn gets a follow-up, then done', async () => {
    repo = makeTaskRepo();
    const script = {
      turns: [{ steps: [{ permission: 'Bash(rm -rf build)' }, ...commitFile('denied.txt')] }, { steps: commitFile('instead.txt'), reply: 'Done another way.' }],
    };
    const { result, log } = await runFake(repo, script, { policy: { permission: 'deny' } });
    expect(result.status).toBe('done');
    expect(log.actions()).toContain('dialog: permission denied: Do you want to proceed?');
    expect(inputs(log.actions())).toEqual([MESSAGES.denied]);
    expect(existsSync(join(repo.worktree, 'denied.txt'))).toBe(false);
    expect(existsSync(join(repo.worktree, 'instead.txt'))).toBe(true);
  });

  it('permission policy wait: reports waiting:permission, presses nothing, and the idle timer stops', async () => {
    repo = makeTaskRepo();
    const abort = new AbortController();
    const script = { turns: [{ steps: [{ permission: 'Bash(rm -rf build)' }, ...commitFile('a.txt')] }] };
    const { result, log } = await runFake(repo, script, {
      policy: { permission: 'wait' },
      timeouts: { wallMs: 60_000, idleMs: 1_000 },
      signal: abort.signal,
      onEvent: (e) => {
        // A person would attach now; the test checks the idle timeout did not fire, then stops.
        if (e.type === 'action' && e.action === 'waiting-for-human') setTimeout(() => abort.abort(), 2_000);
      },
    });
    expect(result.status).toBe('interrupted');
    expect(log.events).toContainEqual(expect.objectContaining({ type: 'state', state: expect.objectContaining({ kind: 'waiting', reason: 'permission' }) }));
    expect(log.actions().filter((a) => a.startsWith('dialog:'))).toEqual([]);
  });

  it('custom API key prompt: never accepted, fails with what to do', async () => {
    repo = makeTaskRepo();
    const { result, log } = await runFake(repo, { startup: ['api-key'], turns: [{ steps: commitFile('a.txt') }] });
    expect(result).toMatchObject({ status: 'failed', reason: API_KEY_REASON });
    expect(log.actions().filter((a) => a.startsWith('dialog:'))).toEqual([]);
  });

  it('bypass-permissions warning: refused unless the task bypasses permissions', async () => {
    repo = makeTaskRepo();
    const script = { startup: ['bypass-warning'], turns: [{ steps: commitFile('a.txt'), reply: 'Done.' }] };
    const refused = await runFake(repo, script, { claude: { permissionMode: 'acceptEdits' } });
    expect(refused.result.status).toBe('failed');
    expect(refused.result.reason).toMatch(/bypass-permissions mode/);
    repo.cleanup();
    repo = makeTaskRepo();
    const accepted = await runFake(repo, script, { claude: { permissionMode: 'bypassPermissions' } });
    expect(accepted.result.status).toBe('done');
    expect(accepted.log.actions()).toContain('dialog: bypass-permissions warning: accepted');
  });

  it('folder trust refused by policy: fails instead of guessing', async () => {
    repo = makeTaskRepo();
    const { result } = await runFake(
      repo,
      { startup: ['trust'], turns: [{ steps: commitFile('a.txt') }] },
      {
        policy: { acceptTrustDialog: false },
      },
    );
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/trust the worktree folder/);
  });
});
