import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtyHost } from '../../src/agent/pty-host.js';
import { tempDir } from '../helpers/temp.js';
import { FAKE_AGENT } from './helpers/fake-agent.js';
import { killGroup, processGroupMembers } from './helpers/processes.js';
import { waitFor } from './helpers/wait.js';

let dir: string;
let host: PtyHost | undefined;
beforeEach(() => {
  dir = tempDir('ccwave-pty-');
});
afterEach(async () => {
  if (host) {
    killGroup(host.pid);
    await host.exited;
    await host.close();
    host = undefined;
  }
});

const nodeScript = (source: string): string[] => [process.execPath, '--input-type=module', '-e', source];
const launch = (argv: string[], env: Record<string, string> = {}): PtyHost => new PtyHost({ argv, cwd: dir, env: { PATH: process.env['PATH'] ?? '', ...env }, rawLogPath: join(dir, 'pty.log') });

const screenText = (h: PtyHost): string => h.screen.visibleLines().join('\n');

describe('PtyHost', () => {
  it('runs argv without a shell, with TERM and the given environment, in the given directory', async () => {
    host = launch(nodeScript('console.log(process.env.TERM, process.env.CCWAVE_TASK_ID, process.cwd(), process.argv.length)'), {
      CCWAVE_TASK_ID: 't-1',
    });
    const exit = await host.exited;
    await host.screen.settled();
    expect(exit.exitCode).toBe(0);
    expect(screenText(host)).toContain(`xterm-256color t-1 ${dir}`);
  });

  it('types a line and submits it with a separate Enter', async () => {
    host = launch(
      nodeScript("process.stdin.setRawMode(true); let s=''; process.stdin.on('data', d => { s += d; if (s.includes('\\r')) { console.log('GOT[' + JSON.stringify(s) + ']'); process.exit(0); } });"),
    );
    await new Promise((r) => setTimeout(r, 300));
    await host.sendLine('hello world');
    await host.exited;
    await host.screen.settled();
    expect(screenText(host)).toContain('GOT["hello world\\r"]');
  });

  it('keeps every byte in the raw log, and the screen as a person would see it', async () => {
    // The terminal turns "\n" into "\r\n" (ONLCR): the log holds what the terminal delivered.
    host = launch(nodeScript("process.stdout.write('\\x1b[31mred\\x1b[0m ünïcødé\\nline 2')"));
    await host.exited;
    await host.close();
    expect(readFileSync(join(dir, 'pty.log'), 'utf8')).toBe('\x1b[31mred\x1b[0m ünïcødé\r\nline 2');
    expect(host.screen.visibleLines().slice(0, 2)).toEqual(['red ünïcødé', 'line 2']);
    expect(host.screen.lastMeaningfulLine()).toBe('line 2');
    host = undefined;
  });

  it('does not show half a synchronized frame, and shows it once closed', async () => {
    host = launch(nodeScript("process.stdout.write('before\\r\\n\\x1b[?2026hhalf'); setTimeout(() => process.stdout.write(' frame\\x1b[?2026l'), 150); setTimeout(() => {}, 100000);"));
    await waitFor(() => screenText(host!).includes('before'));
    expect(screenText(host)).not.toContain('half');
    await waitFor(() => screenText(host!).includes('half frame'));
  });

  it('escalates polite → SIGTERM → SIGKILL and leaves no process of the group behind', async () => {
    const script = join(dir, 'script.json');
    writeFileSync(
      script,
      JSON.stringify({
        turns: [{ steps: [{ ignoreSignals: true }, { spawnChild: ['sh', '-c', 'trap "" HUP TERM; sleep 600'] }, { say: 'ready' }, { hang: true }] }],
      }),
    );
    host = launch([process.execPath, FAKE_AGENT, '--session-id', 'stop-test', '--', 'go'], {
      FAKE_AGENT_SCRIPT: script,
      FAKE_AGENT_STATE_DIR: dir,
    });
    const pgid = host.pid;
    await waitFor(() => screenText(host!).includes('ready'), 20_000, 'fake agent ready');
    await waitFor(() => processGroupMembers(pgid).length >= 2, 10_000, 'child started');
    const exit = await host.stop({ polite: { text: '/exit' }, politeMs: 300, termMs: 300 });
    expect(exit.signal).toBe(9);
    await waitFor(() => processGroupMembers(pgid).length === 0, 5_000, 'group gone');
  });

  it('takes a 50 MB flood with a bounded screen buffer and a complete raw log', async () => {
    const bytes = 50 * 1024 * 1024;
    const script = join(dir, 'script.json');
    writeFileSync(script, JSON.stringify({ turns: [{ steps: [{ flood: bytes }, { say: 'flood done' }], reply: 'Done.' }] }));
    host = launch([process.execPath, FAKE_AGENT, '--session-id', 'flood-test', '--', 'go'], {
      FAKE_AGENT_SCRIPT: script,
      FAKE_AGENT_STATE_DIR: dir,
    });
    await waitFor(() => screenText(host!).includes('flood done'), 60_000, 'flood finished');
    const { rows, scrollback } = host.screen.size;
    expect(host.screen.bufferLength).toBeLessThanOrEqual(rows + scrollback);
    await host.stop({ polite: { text: '/exit' } });
    await host.close();
    const logSize = statSync(join(dir, 'pty.log')).size;
    expect(logSize).toBe(host.rawBytes);
    const log = readFileSync(join(dir, 'pty.log'));
    const begin = log.indexOf('<<FLOOD-BEGIN>>') + '<<FLOOD-BEGIN>>'.length;
    const end = log.indexOf('<<FLOOD-END>>');
    expect(end - begin).toBe(bytes);
    host = undefined;
  }, 120_000);
});
