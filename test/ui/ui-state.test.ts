import type { Key } from 'ink';
import { describe, expect, it } from 'vitest';
import { KEY_BINDINGS, keyHints, resolveKey, type KeyMode, type UiAction } from '../../src/ui/keys.js';
import { applyUiAction, INITIAL_UI_STATE, keyMode, QUIT_QUESTION, RUN_OVER_NOTICE, stopQuestion, type UiContext, type UiState } from '../../src/ui/ui-state.js';

const noKey: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('key table', () => {
  const cases: Array<[KeyMode, string, Partial<Key>, UiAction | undefined]> = [
    ['list', '', { upArrow: true }, 'select-up'],
    ['list', '', { downArrow: true }, 'select-down'],
    ['list', '', { return: true }, 'open-view'],
    ['view', '', { return: true }, 'close-view'],
    ['view', '', { escape: true }, 'close-view'],
    ['view', '', { downArrow: true }, undefined],
    ['list', 'a', {}, 'attach'],
    ['view', 'k', {}, 'stop'],
    ['list', 'r', {}, 'retry'],
    ['list', 'q', {}, 'quit'],
    ['list', 'c', { ctrl: true }, 'interrupt'],
    ['list', 'k', { ctrl: true }, undefined],
    ['list', 'x', {}, undefined],
    ['confirm', 'y', {}, 'confirm'],
    ['confirm', 'Y', {}, 'confirm'],
    ['confirm', 'n', {}, 'cancel'],
    ['confirm', 'q', {}, 'cancel'],
    ['confirm', '', { escape: true }, 'cancel'],
    ['confirm', '', { return: true }, 'cancel'],
    ['confirm', 'c', { ctrl: true }, 'interrupt'],
  ];
  it.each(cases)('%s: %j %j → %s', (mode, input, key, action) => {
    expect(resolveKey(mode, input, { ...noKey, ...key })).toBe(action);
  });

  it('advertises what each mode accepts', () => {
    expect(keyHints('list')).toBe('↑/↓ select · enter view · a attach · k stop · r retry · q quit');
    expect(keyHints('view')).toBe('esc/enter back · a attach · k stop · r retry · q quit');
    expect(keyHints('confirm')).toBe('y yes · any other key: no');
  });

  it('binds each action at most once per mode', () => {
    for (const mode of ['list', 'view', 'confirm'] as const) {
      const actions = KEY_BINDINGS.filter((b) => b.modes.includes(mode)).map((b) => b.action);
      expect(new Set(actions).size).toBe(actions.length);
    }
  });
});

describe('applyUiAction', () => {
  const ctx: UiContext = { taskIds: ['a', 'b', 'c'], hasTerminal: (id) => id !== 'c' };
  const run = (actions: UiAction[], from: UiState = INITIAL_UI_STATE) =>
    actions.reduce(
      ({ ui, intents }, action) => {
        const next = applyUiAction(ui, action, ctx);
        return { ui: next.ui, intents: [...intents, ...next.intents] };
      },
      { ui: from, intents: [] as unknown[] },
    );

  it('moves the selection within the rows', () => {
    expect(run(['select-down', 'select-down', 'select-down']).ui.selected).toBe('c');
    expect(run(['select-up']).ui.selected).toBe('a');
  });

  it('falls back to the first row when the selected task left the table', () => {
    expect(run(['stop', 'confirm'], { ...INITIAL_UI_STATE, selected: 'gone' }).intents).toEqual([{ type: 'stop-task', taskId: 'a' }]);
  });

  it('acts on the viewed task while a view is open', () => {
    const { ui, intents } = run(['select-down', 'open-view', 'retry', 'attach', 'close-view']);
    expect(intents).toEqual([
      { type: 'open-view', taskId: 'b' },
      { type: 'retry-task', taskId: 'b' },
      { type: 'attach', taskId: 'b' },
      { type: 'close-view', taskId: 'b' },
    ]);
    expect(ui.viewing).toBeUndefined();
  });

  it('does not attach to a task without a terminal', () => {
    const { ui, intents } = run(['select-down', 'select-down', 'attach']);
    expect(intents).toEqual([]);
    expect(ui.notice).toBe('c has no live terminal to attach to');
  });

  it('quits once on q and y, and forces only on Ctrl-C after that', () => {
    expect(run(['quit', 'confirm', 'quit']).intents).toEqual([{ type: 'quit' }]);
    expect(run(['interrupt', 'quit', 'interrupt']).intents).toEqual([{ type: 'quit' }, { type: 'quit', force: true }]);
  });

  it('asks before q stops the run and before k stops a task; any answer but y keeps them going', () => {
    const asked = run(['quit']);
    expect(asked.intents).toEqual([]);
    expect(asked.ui.notice).toBe(QUIT_QUESTION);
    expect(keyMode(asked.ui)).toBe('confirm');
    expect(run(['quit', 'cancel']).intents).toEqual([]);
    expect(keyMode(run(['quit', 'cancel']).ui)).toBe('list');
    expect(run(['select-down', 'stop']).ui.notice).toBe(stopQuestion('b'));
    expect(run(['select-down', 'stop', 'cancel', 'retry']).intents).toEqual([{ type: 'retry-task', taskId: 'b' }]);
    expect(run(['select-down', 'open-view', 'stop', 'confirm']).intents).toEqual([
      { type: 'open-view', taskId: 'b' },
      { type: 'stop-task', taskId: 'b' },
    ]);
    expect(keyMode(run(['open-view', 'stop', 'confirm']).ui)).toBe('view');
  });

  it('lets Ctrl-C through while a question is asked', () => {
    expect(run(['stop', 'interrupt']).intents).toEqual([{ type: 'quit' }]);
  });

  it('once the run is over, leaves on q without asking and refuses k and r', () => {
    const over = (actions: UiAction[]) =>
      actions.reduce(
        ({ ui, intents }, action) => {
          const next = applyUiAction(ui, action, { ...ctx, runOver: true });
          return { ui: next.ui, intents: [...intents, ...next.intents] };
        },
        { ui: INITIAL_UI_STATE, intents: [] as unknown[] },
      );
    expect(over(['stop', 'retry']).intents).toEqual([]);
    expect(over(['stop']).ui.notice).toBe(RUN_OVER_NOTICE);
    expect(over(['quit']).intents).toEqual([{ type: 'quit' }]);
  });
});
