import type { Key } from 'ink';

/** What a key asks the UI to do; `ui-state.ts` turns actions into UI changes and intents. */
export type UiAction = 'select-up' | 'select-down' | 'open-view' | 'close-view' | 'attach' | 'stop' | 'retry' | 'quit' | 'interrupt' | 'confirm' | 'cancel';

/** `list`: the wave's task table; `view`: one task's live terminal; `confirm`: a yes/no question is asked. */
export type KeyMode = 'list' | 'view' | 'confirm';

export interface KeyBinding {
  action: UiAction;
  modes: readonly KeyMode[];
  /** Shown in the footer; bindings without one are not advertised. */
  hint?: string;
  matches: (input: string, key: Key) => boolean;
}

const plain = (char: string) => (input: string, key: Key) => input === char && !key.ctrl && !key.meta;

/** Every key binding of the TUI. The footer is generated from this table, so it cannot go stale. */
export const KEY_BINDINGS: readonly KeyBinding[] = [
  { action: 'select-up', modes: ['list'], hint: '↑/↓ select', matches: (_, key) => key.upArrow },
  { action: 'select-down', modes: ['list'], matches: (_, key) => key.downArrow },
  { action: 'open-view', modes: ['list'], hint: 'enter view', matches: (_, key) => key.return },
  { action: 'close-view', modes: ['view'], hint: 'esc/enter back', matches: (_, key) => key.escape || key.return },
  { action: 'attach', modes: ['list', 'view'], hint: 'a attach', matches: plain('a') },
  { action: 'stop', modes: ['list', 'view'], hint: 'k stop', matches: plain('k') },
  { action: 'retry', modes: ['list', 'view'], hint: 'r retry', matches: plain('r') },
  { action: 'quit', modes: ['list', 'view'], hint: 'q quit', matches: plain('q') },
  // Raw mode swallows the terminal's SIGINT, so Ctrl-C has to be a key here. It is never asked
  // about: it is how a person gets out whatever the screen shows.
  { action: 'interrupt', modes: ['list', 'view', 'confirm'], matches: (input, key) => key.ctrl && input === 'c' },
  { action: 'confirm', modes: ['confirm'], hint: 'y yes', matches: (input, key) => (input === 'y' || input === 'Y') && !key.ctrl && !key.meta },
  // Anything but yes keeps things as they are: a stray key must never stop work.
  { action: 'cancel', modes: ['confirm'], hint: 'any other key: no', matches: () => true },
];

export function resolveKey(mode: KeyMode, input: string, key: Key): UiAction | undefined {
  return KEY_BINDINGS.find((binding) => binding.modes.includes(mode) && binding.matches(input, key))?.action;
}

export function keyHints(mode: KeyMode): string {
  return KEY_BINDINGS.flatMap((b) => (b.hint && b.modes.includes(mode) ? [b.hint] : [])).join(' · ');
}
