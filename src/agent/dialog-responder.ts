import { decideDialog, type DialogPolicy } from './dialog-policy.js';
import type { KeyName } from './keys.js';
import type { ScreenClass } from './screen-class.js';
import { DIALOG_KEY_SETTLE_MS, MAX_DIALOG_KEYS_IN_A_ROW } from './session-timing.js';

export type DialogResponse =
  | { kind: 'none' }
  /** Press these keys; the next screen shows whether the dialog moved on. */
  | { kind: 'pressed'; keys: KeyName[]; note: string }
  /** A key was sent moments ago: the screen may not show its effect yet. */
  | { kind: 'settling' }
  | { kind: 'wait'; note: string }
  | { kind: 'fail'; reason: string };

/** What the responder remembers between screens. */
export interface DialogMemory {
  keysInARow: number;
  lastKeyAt: number;
}

export const NO_DIALOG_YET: DialogMemory = { keysInARow: 0, lastKeyAt: Number.NEGATIVE_INFINITY };

/**
 * Answers dialogs one key at a time by policy, and gives up on a dialog that does not go away.
 * The screen is re-read after each key, so the answer follows what is actually selected. Pure.
 */
export function respondToDialog(memory: DialogMemory, screen: ScreenClass, policy: DialogPolicy, now: number): { memory: DialogMemory; response: DialogResponse } {
  const action = decideDialog(screen, policy);
  if (action.do === 'none') return { memory: { ...memory, keysInARow: 0 }, response: { kind: 'none' } };
  if (now - memory.lastKeyAt < DIALOG_KEY_SETTLE_MS) return { memory, response: { kind: 'settling' } };
  if (action.do === 'fail') return { memory, response: { kind: 'fail', reason: action.reason } };
  if (action.do === 'wait') return { memory, response: { kind: 'wait', note: action.note } };
  const keysInARow = memory.keysInARow + 1;
  if (keysInARow > MAX_DIALOG_KEYS_IN_A_ROW) {
    return {
      memory: { ...memory, keysInARow },
      response: { kind: 'fail', reason: `a dialog did not go away after ${MAX_DIALOG_KEYS_IN_A_ROW} key presses` },
    };
  }
  return { memory: { keysInARow, lastKeyAt: now }, response: { kind: 'pressed', keys: action.keys, note: action.note } };
}
