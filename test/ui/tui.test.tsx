import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { SLUGIFY, WORDCOUNT, TRUNCATE, JSON_EXPORT, CSV, WORKTREES, iso, midWaveOne, stateOf, waveOneFinished } from './helpers/journal.js';
import { FRAME_INTERVAL_MS } from '../../src/ui/throttled-source.js';
import { SPINNER_FRAME_MS } from '../../src/ui/tui/spinner.js';
import { LIVE_VIEW_REFRESH_MS } from '../../src/ui/tui/use-screen-lines.js';
import { commits, FakeScreens, KEY, lineWith, NOW, renderApp, settle, viewOf } from './helpers/tui.js';
import { mergingThirdOfFive, testingSecondRun } from './helpers/phases.js';

afterEach(() => cleanup());

describe('TUI header and rows', () => {
  it('shows the plan, wave, elapsed time, counts and agents', async () => {
    const app = await renderApp(viewOf(stateOf(midWaveOne())));
    const frame = app.lastFrame();
    expect(frame).toContain('ccwave · Demo · wave 1/2 · 27m00s');
    expect(lineWith(frame, 'agents')).toMatch(/^1 running · 1 waiting · 1 paused · 1 merged · 1 failed · 1 pending\s+agents 3\/3$/);
  });

  it('gives each task of the wave a row with its state and reason', async () => {
    const frame = (await renderApp(viewOf(stateOf(midWaveOne())))).lastFrame();
    expect(lineWith(frame, SLUGIFY.id)).toMatch(/Slugify titles\s+working\s+19m56s/);
    expect(lineWith(frame, WORDCOUNT.id)).toMatch(/! feature-002-wordcount\s+Count words per file\s+waiting: permission\s+16m53s/);
    expect(lineWith(frame, TRUNCATE.id)).toMatch(/‖ feature-003-truncate\s+Truncate long lines with an e…\s+paused until 15:00 \(usage…\s+10m00s$/);
    expect(lineWith(frame, JSON_EXPORT.id)).toMatch(/◷ feature-004-json-export\s+Export as JSON\s+failed: idle timeout \(10m\)\s+10m00s\s+0$/);
    expect(lineWith(frame, CSV.id)).toMatch(/● feature-005-csv\s+Read CSV input\s+merged\s+6m55s\s+3$/);
    expect(frame).not.toContain(WORKTREES.id);
  });

  it('shows the agent’s latest line under its row', async () => {
    // Its agent started a minute ago: the row counts from there.
    const state = stateOf(midWaveOne());
    const view = viewOf(
      { ...state, tasks: { ...state.tasks, [SLUGIFY.id]: { ...state.tasks[SLUGIFY.id]!, startedAt: iso('14:29:00') } } },
      { live: { [SLUGIFY.id]: { lastLine: 'Running npm test…' } } },
    );
    const lines = (await renderApp(view)).lastFrame().split('\n');
    const row = lines.findIndex((l) => l.includes(SLUGIFY.id));
    expect(lines[row]).toMatch(/working\s+1m00s/);
    expect(lines[row + 1]).toMatch(/^\s+╰ Running npm test…$/);
  });

  it('says when all agents wait for a usage limit, and what phase the wave is in', async () => {
    const view = viewOf(mergingThirdOfFive());
    expect((await renderApp(view)).lastFrame()).toContain('‖ paused until 15:00 (usage limit) · wave 1: merging feature-002 (3/5)');
  });

  it('collapses a finished wave to one summary line and lists the next wave’s tasks', async () => {
    const frame = (await renderApp(viewOf(stateOf(waveOneFinished())))).lastFrame();
    expect(frame.split('\n')[0]).toBe('✔ wave 1/2 · 3 tasks: 2 merged · 1 failed · 25m10s · retro waves/retro-wave-1.md');
    expect(frame).toContain('wave 2/2');
    expect(lineWith(frame, WORKTREES.id)).toContain('working');
    expect(frame).not.toContain(SLUGIFY.id);
  });

  it('prints the finished wave once while the live area keeps changing', async () => {
    const app = await renderApp(viewOf(stateOf(waveOneFinished())), { frameIntervalMs: 0 });
    app.store.update((v) => ({ ...v, live: { [WORKTREES.id]: { lastLine: 'Editing src/git.ts' } } }));
    await settle();
    const frame = app.lastFrame();
    expect(frame).toContain('Editing src/git.ts');
    expect(frame.match(/✔ wave 1\/2/g)).toHaveLength(1);
  });
});

describe('TUI keys', () => {
  it('moves the selection with the arrows', async () => {
    const app = await renderApp(viewOf(stateOf(midWaveOne())));
    expect(lineWith(app.lastFrame(), SLUGIFY.id)).toMatch(/^›/);
    await app.press(KEY.down);
    expect(lineWith(app.lastFrame(), SLUGIFY.id)).not.toMatch(/^›/);
    expect(lineWith(app.lastFrame(), WORDCOUNT.id)).toMatch(/^›/);
    await app.press(KEY.up);
    await app.press(KEY.up);
    expect(lineWith(app.lastFrame(), SLUGIFY.id)).toMatch(/^›/);
  });

  it('opens the selected task’s terminal on Enter and closes it on Esc', async () => {
    const screens = new FakeScreens({ [WORDCOUNT.id]: ['Do you want to proceed?', '❯ 1. Yes', '  2. No', '', ''] });
    const app = await renderApp(viewOf(stateOf(midWaveOne())), { screens });
    await app.press(KEY.down);
    await app.press(KEY.enter);
    const frame = app.lastFrame();
    expect(frame).toContain(`── ${WORDCOUNT.id} · waiting: permission · live terminal`);
    expect(frame).toContain('Do you want to proceed?\n❯ 1. Yes\n  2. No\n');
    expect(frame).not.toContain(SLUGIFY.id);
    expect(frame).toContain('esc/enter back');
    expect(app.intents).toEqual([{ type: 'open-view', taskId: WORDCOUNT.id }]);
    await app.press(KEY.escape);
    expect(app.lastFrame()).toContain(SLUGIFY.id);
    expect(app.intents.at(-1)).toEqual({ type: 'close-view', taskId: WORDCOUNT.id });
  });

  it('says so when the task has no terminal to show', async () => {
    const app = await renderApp(viewOf(stateOf(midWaveOne())));
    await app.press(KEY.enter);
    expect(app.lastFrame()).toContain('(no terminal to show for this task yet)');
  });

  it('shows the last screen a finished agent left, and does not attach to it', async () => {
    const screens = new FakeScreens({ [SLUGIFY.id]: ['● Added slugify.', '❯'] }, [SLUGIFY.id]);
    const app = await renderApp(viewOf(stateOf(midWaveOne())), { screens });
    await app.press(KEY.enter);
    expect(app.lastFrame()).toMatch(new RegExp(`── ${SLUGIFY.id} · .* · last screen`));
    expect(app.lastFrame()).toContain('● Added slugify.');
    await app.press('a');
    expect(app.lastFrame()).toContain(`${SLUGIFY.id} has no live terminal to attach to`);
    expect(app.intents).toEqual([{ type: 'open-view', taskId: SLUGIFY.id }]);
  });

  it('takes keys typed faster than they are read one by one', async () => {
    const app = await renderApp(viewOf(stateOf(midWaveOne())));
    await app.press('ky');
    expect(app.intents).toEqual([{ type: 'stop-task', taskId: SLUGIFY.id }]);
  });

  it('once the run has ended, says so and leaves on q without asking', async () => {
    const app = await renderApp(viewOf(stateOf(midWaveOne()), { ended: 'run finished (exit 1)' }));
    expect(app.lastFrame()).toContain('run finished (exit 1) · press q to leave and see the summary');
    await app.press('k');
    expect(app.lastFrame()).toContain('the run is over');
    await app.press('q');
    expect(app.intents).toEqual([{ type: 'quit' }]);
  });

  it('turns k (once confirmed), r and a into intents for the selected task', async () => {
    const screens = new FakeScreens({ [WORDCOUNT.id]: ['$'] });
    const app = await renderApp(viewOf(stateOf(midWaveOne())), { screens });
    await app.press(KEY.down);
    await app.press('k');
    expect(app.lastFrame()).toContain(`stop ${WORDCOUNT.id}? y: stop it`);
    expect(app.lastFrame()).toContain('y yes · any other key: no');
    await app.press('y');
    expect(app.lastFrame()).toContain(`stop requested: ${WORDCOUNT.id}`);
    await app.press('r');
    await app.press('a');
    await app.press(KEY.down);
    await app.press('a'); // feature-003 has no terminal: nothing to attach to
    expect(app.intents).toEqual([
      { type: 'stop-task', taskId: WORDCOUNT.id },
      { type: 'retry-task', taskId: WORDCOUNT.id },
      { type: 'attach', taskId: WORDCOUNT.id },
    ]);
    expect(app.lastFrame()).toContain(`${TRUNCATE.id} has no live terminal to attach to`);
  });

  it('asks on q, quits gracefully on y, says it is stopping on a second q, and forces on Ctrl-C', async () => {
    const app = await renderApp(viewOf(stateOf(midWaveOne())));
    expect(app.lastFrame()).toContain('↑/↓ select · enter view · a attach · k stop · r retry · q quit');
    await app.press('q');
    expect(app.lastFrame()).toContain('stop the run? y: stop');
    expect(app.intents).toEqual([]);
    await app.press('y');
    await app.press('q');
    expect(app.intents).toEqual([{ type: 'quit' }]);
    expect(app.lastFrame()).toContain('stopping…');
    await app.press(KEY.ctrlC);
    expect(app.intents).toEqual([{ type: 'quit' }, { type: 'quit', force: true }]);
  });
});

describe('TUI at 80×24', () => {
  const manyTasks = () => {
    const events = midWaveOne();
    const state = stateOf(events);
    // Twenty more rows than fit: the same plan, with more pending tasks in wave 1.
    const extra = Array.from({ length: 20 }, (_, i) => `feature-${String(100 + i)}-a-rather-long-task-identifier`);
    const wave = state.waves[0];
    if (!wave) throw new Error('no wave');
    const tasks = { ...state.tasks };
    for (const id of extra) tasks[id] = { id, title: 'A pending task with a long title', promptPath: '', wave: 1, status: 'pending', attempts: 0, sessionIds: [] };
    return { ...state, tasks, waves: [{ ...wave, taskIds: [...wave.taskIds, ...extra] }, ...state.waves.slice(1)] };
  };

  it('never draws a line wider than 80 columns nor a frame taller than the terminal', async () => {
    const view = viewOf(testingSecondRun(manyTasks()), { live: { [SLUGIFY.id]: { lastLine: 'x'.repeat(200) } } });
    const app = await renderApp(view, { columns: 80, rows: 24 });
    const check = () => {
      const lines = app.lastFrame().split('\n');
      for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
      expect(lines.length).toBeLessThan(24);
    };
    check();
    expect(app.lastFrame()).toMatch(/↓ \d+ more/);
    for (let i = 0; i < 12; i++) await app.press(KEY.down);
    check();
    expect(app.lastFrame()).toMatch(/↑ \d+ more/);
    expect(lineWith(app.lastFrame(), '›')).toContain('feature-107');
  });

  it('cuts titles and states to their columns', async () => {
    const frame = (await renderApp(viewOf(stateOf(midWaveOne())), { columns: 80 })).lastFrame();
    expect(lineWith(frame, TRUNCATE.id)).toBe('  ‖ feature-003-truncate   Truncate long li… paused until 15:00 … 10m00s');
    expect(lineWith(frame, 'feature-004')).toBe('  ◷ feature-004-json-expo… Export as JSON    failed: idle timeou… 10m00s       0');
  });
});

describe('TUI refresh', () => {
  afterEach(() => vi.useRealTimers());

  it('draws a bounded number of frames however fast the store changes', async () => {
    const app = await renderApp(viewOf(stateOf(midWaveOne())));
    // Only the throttle's timer is faked, and nothing below awaits: no real timer can add a frame.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const before = app.frames.length;
    for (let i = 1; i <= 500; i++) app.store.update((v) => ({ ...v, live: { [SLUGIFY.id]: { lastLine: `step ${i}` } } }));
    await commits();
    expect(app.frames.length - before).toBe(1);
    expect(app.lastFrame()).toContain('╰ step 1\n');
    vi.advanceTimersByTime(FRAME_INTERVAL_MS);
    await commits();
    expect(app.frames.length - before).toBe(2);
    expect(app.lastFrame()).toContain('╰ step 500\n');
    vi.advanceTimersByTime(10 * FRAME_INTERVAL_MS);
    await commits();
    expect(app.frames.length - before).toBe(2);
  });

  it('steps spinners in the frames the run draws anyway, and draws for them alone only while the run is quiet', async () => {
    // Date too: Ink's own frame cap reads it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    let clock = NOW;
    const app = await renderApp(viewOf(stateOf(midWaveOne())), { now: () => clock });
    const wait = async (ms: number) => {
      clock += ms;
      await vi.advanceTimersByTimeAsync(ms);
      // React renders a timer's update in a task of its own.
      await settle(0);
    };
    let before = app.frames.length;
    for (let i = 0; i < 5; i++) await wait(SPINNER_FRAME_MS);
    expect(app.frames.length - before).toBe(5);
    // An agent printing: the store changes four times a frame.
    before = app.frames.length;
    for (let i = 1; i <= 40; i++) {
      await wait(FRAME_INTERVAL_MS / 4);
      app.store.update((v) => ({ ...v, live: { [SLUGIFY.id]: { lastLine: `step ${i}` } } }));
    }
    expect(app.frames.length - before).toBe(10);
  });

  it('re-reads the live view’s terminal on a timer', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const screens = new FakeScreens({ [SLUGIFY.id]: ['$ npm test'] });
    const app = await renderApp(viewOf(stateOf(midWaveOne())), { screens });
    await app.press(KEY.enter);
    expect(app.lastFrame()).toContain('$ npm test\n');
    screens.lines[SLUGIFY.id] = ['$ npm test', '38 passed'];
    expect(app.lastFrame()).not.toContain('38 passed');
    vi.advanceTimersByTime(LIVE_VIEW_REFRESH_MS);
    await settle();
    expect(app.lastFrame()).toContain('$ npm test\n38 passed\n');
  });
});
