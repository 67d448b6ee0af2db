import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { RunStore, type UiIntent } from '../../src/ui/store.js';
import { attachTask, renderTui } from '../../src/ui/tui/render-tui.js';
import xtermHeadless from '@xterm/headless';
import { reduce, replay } from '../../src/journal/index.js';
import { midWaveOne, stateOf, SLUGIFY, waveOneFinished, WORDCOUNT } from './helpers/journal.js';
import { FRAME_INTERVAL_MS } from '../../src/ui/throttled-source.js';
import { FakeScreens, NOW, settle, viewOf } from './helpers/tui.js';
import { oneAgentLeft } from './helpers/phases.js';

/** A terminal as Ink sees one: a TTY stdout that records writes, and a raw-mode stdin. */
class FakeTerminal {
  readonly written: string[] = [];
  readonly stdout = Object.assign(
    new Writable({
      write: (chunk: Buffer | string, _encoding, done) => {
        this.written.push(chunk.toString());
        done();
      },
    }),
    { isTTY: true, columns: 80, rows: 24 },
  );
  readonly stdin = Object.assign(new EventEmitter(), {
    isTTY: true,
    data: null as string | null,
    setEncoding() {},
    setRawMode() {},
    resume() {},
    pause() {},
    ref() {},
    unref() {},
    read() {
      const data = this.data;
      this.data = null;
      return data;
    },
  });
  type(data: string): void {
    this.stdin.data = data;
    this.stdin.emit('readable');
  }
  text(): string {
    return this.written.join('');
  }
}

describe('renderTui', () => {
  it('draws to the given terminal, takes keys from it, and unmounts', async () => {
    const term = new FakeTerminal();
    const intents: UiIntent[] = [];
    const store = new RunStore(viewOf(stateOf(midWaveOne())), (intent) => void intents.push(intent));
    const tui = renderTui(store, new FakeScreens(), {
      stdin: term.stdin as never,
      stdout: term.stdout as never,
      now: () => NOW,
      timeZone: 'UTC',
      color: false,
      patchConsole: false,
      interactive: true,
    });
    await settle();
    expect(term.text()).toContain('ccwave · Demo · wave 1/2 · 27m00s');
    term.type('r');
    await settle();
    expect(intents).toEqual([{ type: 'retry-task', taskId: SLUGIFY.id }]);
    tui.unmount();
    await tui.waitUntilExit();
  });

  it('hands the terminal to an attached task and takes it back when the user detaches', async () => {
    const term = new FakeTerminal();
    const screens = new FakeScreens({ [SLUGIFY.id]: ['$'] });
    const intents: UiIntent[] = [];
    const store = new RunStore(viewOf(stateOf(midWaveOne())), (intent) => void intents.push(intent));
    const tui = renderTui(store, screens, { stdin: term.stdin as never, stdout: term.stdout as never, now: () => NOW, timeZone: 'UTC', color: false, patchConsole: false, interactive: true });
    await settle();
    let writesDuringAttach = -1;
    let detachedAt = 0;
    screens.attach = async (taskId: string) => {
      screens.attached.push(taskId);
      const before = term.written.length;
      // The agent owns the terminal now: the TUI neither draws nor hears keys.
      store.update((v) => ({ ...v, state: oneAgentLeft(v.state) }));
      term.type('r');
      await settle();
      writesDuringAttach = term.written.length - before;
      detachedAt = term.written.length;
    };
    await attachTask(tui, screens, SLUGIFY.id, { stdin: term.stdin as never, stdout: term.stdout as never });
    expect(screens.attached).toEqual([SLUGIFY.id]);
    expect(writesDuringAttach).toBe(0);
    expect(intents).toEqual([]);
    // Back in the TUI: redrawn with what changed meanwhile, and listening again.
    expect(term.written.slice(detachedAt).join('')).toContain('agents 1/3');
    term.type('r');
    await settle();
    expect(intents).toEqual([{ type: 'retry-task', taskId: SLUGIFY.id }]);
    tui.unmount();
    await tui.waitUntilExit();
  });

  it('leaves a real terminal emulator showing the finished wave once, above the live frame', async () => {
    const term = new FakeTerminal();
    const screen = new xtermHeadless.Terminal({ cols: 80, rows: 24, allowProposedApi: true, convertEol: true });
    const events = waveOneFinished();
    const waveOneDone = events.findIndex((e) => e.type === 'wave-finished');
    const store = new RunStore(viewOf(replay(events.slice(0, waveOneDone))), () => {});
    const tui = renderTui(store, new FakeScreens(), {
      stdin: term.stdin as never,
      stdout: term.stdout as never,
      now: () => NOW,
      timeZone: 'UTC',
      color: false,
      patchConsole: false,
      interactive: true,
    });
    await settle();
    expect(term.text()).toContain(WORDCOUNT.id);
    // The runner feeds the rest of the journal, event by event.
    for (const event of events.slice(waveOneDone)) store.update((v) => ({ ...v, state: reduce(v.state, event) }));
    await settle(3 * FRAME_INTERVAL_MS);
    tui.unmount();
    await tui.waitUntilExit();
    await new Promise<void>((resolve) => screen.write(term.text(), resolve));
    const buffer = screen.buffer.active;
    const lines = Array.from({ length: buffer.length }, (_, y) => buffer.getLine(y)?.translateToString(true) ?? '');
    expect(lines.filter((line) => line.startsWith('✔ wave 1/2'))).toHaveLength(1);
    expect(lines.some((line) => line.startsWith('ccwave · Demo · wave 2/2'))).toBe(true);
    expect(lines.some((line) => line.includes(WORDCOUNT.id))).toBe(false);
  });
});
