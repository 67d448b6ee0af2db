import { execFileSync, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { planRepo } from './plan-repo.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('\n*** SKIPPING the TUI end-to-end test: tmux is not installed ***\n');

/** Polls the pane until `predicate` holds; the screen is the test's only input. */
async function waitForPane(session: string, predicate: (screen: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < end) {
    screen = capture(session);
    if (predicate(screen)) return screen;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${screen}`);
}

/** A private tmux server, so the test never touches a person's own tmux sessions. */
const SOCKET = `ccwave-test-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

function capture(session: string): string {
  return tmux('capture-pane', '-p', '-t', session);
}

function keys(session: string, ...names: string[]): void {
  tmux('send-keys', '-t', session, ...names);
}

const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

afterEach(() => {
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
});

describe.skipIf(!hasTmux)('the TUI in a real terminal (tmux)', () => {
  it('shows the task rows, opens the live view, attaches and detaches, then prints the summary', async () => {
    const slow = (file: string) => ({ steps: [{ say: `working on ${file}` }, { work: 6000 }, { write: file, content: 'x\n' }, { commit: `Add ${file}` }], reply: `Added ${file}.` });
    const repo = planRepo([[{ id: 'feature-001-alpha', turns: [slow('alpha.txt')] }, { id: 'feature-002-beta', turns: [slow('beta.txt')] }]]);
    const session = 'tui';
    const env = [`FAKE_AGENT_SCRIPT_DIR=${quote(repo.scripts)}`, `FAKE_AGENT_STATE_DIR=${quote(repo.state)}`, 'NO_COLOR=1'];
    // CI=true would make Ink non-interactive; the pane stays open after the run to read the summary.
    const command = `env -u CI ${env.join(' ')} ${quote(process.execPath)} ${quote(CLI)} run; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', repo.dir, command);
    const rows = await waitForPane(session, (s) => s.includes('feature-001-alpha') && s.includes('feature-002-beta') && /working/.test(s), 'the task rows');
    expect(rows).toMatch(/Test plan/);

    keys(session, 'Enter');
    const live = await waitForPane(session, (s) => /esc to interrupt|working on alpha\.txt/.test(s) && !/feature-002-beta .*working/.test(s), 'the live view');
    expect(live).toMatch(/feature-001-alpha/);
    keys(session, 'Escape');
    await waitForPane(session, (s) => s.includes('feature-002-beta'), 'the table again');

    keys(session, 'a');
    await waitForPane(session, (s) => s.includes('attached to feature-001-alpha'), 'the attached screen');
    keys(session, 'C-]');
    await waitForPane(session, (s) => !s.includes('attached to') && s.includes('feature-002-beta'), 'the TUI after detaching');

    const summary = await waitForPane(session, (s) => /finished \(exit 0\)/.test(s) && /TASK\s+STATUS/.test(s), 'the summary', 60_000);
    expect(summary).toMatch(/feature-001-alpha\s+merged/);
    expect(summary).toMatch(/feature-002-beta\s+merged/);
  });
});
