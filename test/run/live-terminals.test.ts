import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtyHost } from '../../src/agent/pty-host.js';
import { LiveTerminals } from '../../src/run/live-terminals.js';
import { waitFor } from '../agent/helpers/wait.js';
import { tempDir } from '../helpers/temp.js';

let dir: string;
const hosts: PtyHost[] = [];
beforeEach(() => {
  dir = tempDir('ccwave-live-');
});
afterEach(async () => {
  for (const host of hosts.splice(0)) {
    host.signalGroup('SIGKILL');
    await host.exited;
    await host.close();
  }
});

function launch(source: string): PtyHost {
  const host = new PtyHost({ argv: [process.execPath, '--input-type=module', '-e', source], cwd: dir, env: { PATH: process.env['PATH'] ?? '' }, rawLogPath: join(dir, 'pty.log') });
  hosts.push(host);
  return host;
}

const screenText = (terminals: LiveTerminals, taskId: string): string => (terminals.screenLines(taskId) ?? []).join('\n');

describe('LiveTerminals', () => {
  it('keeps each task’s latest activity line and tells whoever listens, until they stop', () => {
    const terminals = new LiveTerminals();
    const heard: string[] = [];
    const stop = terminals.onLine((taskId, text) => heard.push(`${taskId}: ${text}`));
    terminals.line('a', 'setup: npm ci');
    terminals.line('a', 'Running npm test');
    terminals.line('b', 'Editing src/x.ts');
    stop();
    terminals.line('b', 'Reading README.md');
    expect(heard).toEqual(['a: setup: npm ci', 'a: Running npm test', 'b: Editing src/x.ts']);
    expect([terminals.lastLine('a'), terminals.lastLine('b'), terminals.lastLine('c')]).toEqual(['Running npm test', 'Reading README.md', undefined]);
  });

  it('sends keys to the agent and detaches on Ctrl-] from a stdin that delivers text, as Ink leaves it', async () => {
    // Echoes what it receives and stays alive: only Ctrl-] can end the attach.
    const host = launch("process.stdin.setRawMode(true); process.stdin.on('data', (d) => process.stdout.write('got:' + JSON.stringify(String(d)) + '\\r\\n')); setInterval(() => {}, 1000);");
    const terminals = new LiveTerminals();
    terminals.add('t1', host);
    const stdin = new PassThrough();
    stdin.setEncoding('utf8');
    const attached = terminals.attach('t1', { stdin, stdout: new PassThrough() });
    stdin.write('hi');
    await waitFor(() => screenText(terminals, 't1').includes('got:"hi"'), 10_000, 'the keys at the agent');
    stdin.write('x\x1d');
    await attached;
    expect(host.hasExited).toBe(false);
    await waitFor(() => screenText(terminals, 't1').includes('got:"x"'), 10_000, 'the keys before Ctrl-]');
    expect(screenText(terminals, 't1')).not.toContain('\\u001d');
  });

  it('shows an ended agent’s saved last screen, never an earlier agent’s, and its text only', async () => {
    const saved = join(dir, 'screen-final.txt');
    writeFileSync(saved, 'an earlier attempt\n');
    const terminals = new LiveTerminals((taskId) => (taskId === 't1' ? saved : join(dir, taskId, 'screen-final.txt')));
    const host = launch("console.log('this attempt, on screen'); setTimeout(() => {}, 200);");
    terminals.add('t1', host);
    expect(terminals.isLive('t1')).toBe(true);
    await host.exited;
    await waitFor(() => !terminals.isLive('t1'), 5_000, 'the host gone');
    // Until the saved screen is written, the screen as the agent exited.
    expect(screenText(terminals, 't1')).toContain('this attempt, on screen');
    expect(screenText(terminals, 't1')).not.toContain('an earlier attempt');
    writeFileSync(saved, 'the saved \x1b[31mfinal\x1b[0m screen\n');
    await waitFor(() => screenText(terminals, 't1').includes('final'), 5_000, 'the saved screen');
    expect(screenText(terminals, 't1')).not.toContain('\x1b');
    expect(terminals.screenLines('never-ran')).toBeUndefined();
  });

  it('fits the attached screen to a smaller terminal: the agent’s last rows, cut at its width', async () => {
    const host = launch("for (let i = 1; i <= 30; i++) console.log(String(i).padStart(2, '0') + ' ' + 'x'.repeat(100)); setInterval(() => {}, 1000);");
    const terminals = new LiveTerminals();
    terminals.add('t1', host);
    await waitFor(() => screenText(terminals, 't1').includes('30 xxx'), 10_000, 'the output');
    const stdin = new PassThrough();
    const stdout = Object.assign(new PassThrough(), { columns: 40, rows: 10 });
    let drawn = '';
    stdout.on('data', (chunk: Buffer) => {
      drawn += chunk.toString('utf8');
    });
    const attached = terminals.attach('t1', { stdin, stdout });
    stdin.write('\x1d');
    await attached;
    const frame = drawn.split('\x1b[H\x1b[2J')[1]!.split('\r\n');
    expect(frame.length).toBeLessThanOrEqual(10);
    expect(frame.at(-1)).toContain('Ctrl-] detaches');
    expect(frame.some((line) => line.startsWith('30 x'))).toBe(true);
    for (const line of frame) expect([...line.replace(/\x1b\[[0-9;]*m/g, '')].length).toBeLessThanOrEqual(40);
  });
});
