import { decideDialog, type DialogPolicy } from './dialog-policy.js';
import type { KeyName } from './keys.js';
import type { ScreenClass } from './screen-class.js';
import { DIALOG_KEY_SETTLE_MS, MAX_DIALOG_KEYS_IN_A_ROW } from './session-timing.js';

export type DialogResponse =
  | { kind: 'none' }
  /** A key was sent; the next screen shows whether the dialog moved on. */
  | { kind: 'pressed'; note: string }
  /** A key was sent moments ago: the screen may not show its effect yet. */
  | { kind: 'settling' }
  | { kind: 'wait'; note: string }
  | { kind: 'fail'; reason: string };

/**
 * Answers dialogs one key at a time by policy, and gives up on a dialog that does not go away.
 * The screen is re-read after each key, so the answer follows what is actually selected.
 */
export class DialogResponder {
  readonly #policy: DialogPolicy;
  readonly #press: (key: KeyName) => void;
  #keysInARow = 0;
  #lastKeyAt = Number.NEGATIVE_INFINITY;

  constructor(policy: DialogPolicy, press: (key: KeyName) => void) {
    this.#policy = policy;
    this.#press = press;
  }

  respond(screen: ScreenClass, now: number): DialogResponse {
    const action = decideDialog(screen, this.#policy);
    if (action.do === 'none') {
      this.#keysInARow = 0;
      return { kind: 'none' };
    }
    if (now - this.#lastKeyAt < DIALOG_KEY_SETTLE_MS) return { kind: 'settling' };
    if (action.do === 'fail') return { kind: 'fail', reason: action.reason };
    if (action.do === 'wait') return { kind: 'wait', note: action.note };
    if (++this.#keysInARow > MAX_DIALOG_KEYS_IN_A_ROW) {
      return { kind: 'fail', reason: `a dialog did not go away after ${MAX_DIALOG_KEYS_IN_A_ROW} key presses` };
    }
    for (const key of action.keys) this.#press(key);
    this.#lastKeyAt = now;
    return { kind: 'pressed', note: action.note };
  }
}
