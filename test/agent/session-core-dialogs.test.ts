import { describe, expect, it } from 'vitest';
import { API_KEY_REASON } from '../../src/agent/dialog-policy.js';
import type { MenuOption, ScreenClass } from '../../src/agent/screen-class.js';
import { DIALOG_KEY_SETTLE_MS, MAX_DIALOG_KEYS_IN_A_ROW, SCREEN_IDLE_CONFIRM_MS } from '../../src/agent/session-timing.js';
import { MESSAGES } from '../../src/agent/turn-policy.js';
import { playRow, type CoreRow } from './helpers/core-case.js';
import type { Step } from './helpers/core-driver.js';
import { busy, launched } from './helpers/core-driver.js';

const QUESTION = 'Do you want to proceed?';
const menu = (labels: string[], selected: number): MenuOption[] => labels.map((label, i) => ({ label, selected: i === selected }));
const permission = (options = menu(['Yes', 'No'], 0)): ScreenClass => ({ kind: 'permission-prompt', question: QUESTION, options });
const wide = ["Yes, and don't ask again for: node *", 'Yes, and switch to auto mode', 'Yes', 'No'];
const interrupted: ScreenClass = { kind: 'idle', interrupted: true };
/** The same dialog read again and again, each read after the previous key settled. */
const stuck = (screen: ScreenClass, times: number): Step[] => Array.from({ length: times }, (_, i): Step => [100 + i * DIALOG_KEY_SETTLE_MS, 'show', screen]);

const rows: CoreRow[] = [
  {
    name: 'trust dialog answered on screen: enter, reported, shown as waiting',
    steps: [
      [0, launched],
      [100, 'show', { kind: 'trust-dialog', selected: 'yes' }],
      [1_000, 'show', busy],
    ],
    outcome: undefined,
    keys: ['enter'],
    actions: ['dialog: trust dialog: accepted'],
    states: ['waiting', 'working'],
  },
  {
    name: 'trust dialog with the cursor on "No": moves first, then accepts',
    steps: [
      [0, launched],
      [100, 'show', { kind: 'trust-dialog', selected: 'no' }],
      [100 + DIALOG_KEY_SETTLE_MS, 'show', { kind: 'trust-dialog', selected: 'yes' }],
    ],
    keys: ['down', 'enter'],
    actions: ['dialog: trust dialog: moving to "Yes"', 'dialog: trust dialog: accepted'],
  },
  {
    name: 'folder trust refused by policy: fails instead of guessing',
    config: { policy: { acceptTrustDialog: false } },
    steps: [
      [0, launched],
      [100, 'show', { kind: 'trust-dialog', selected: 'yes' }],
    ],
    outcome: { status: 'failed', reason: /trust the worktree folder/ },
    keys: [],
  },
  {
    name: 'a key pressed moments ago: the next read presses nothing while the screen settles',
    steps: [
      [0, launched],
      [100, 'show', { kind: 'trust-dialog', selected: 'no' }],
      [100 + DIALOG_KEY_SETTLE_MS - 1, 'show', { kind: 'trust-dialog', selected: 'no' }],
    ],
    keys: ['down'],
  },
  {
    name: 'permission policy approve: answers yes, nothing typed',
    config: { policy: { permission: 'approve' } },
    steps: [
      [0, launched],
      [100, 'show', permission()],
      [1_000, 'show', busy],
    ],
    outcome: undefined,
    keys: ['enter'],
    actions: [`dialog: permission approved: ${QUESTION}`],
    inputs: [],
  },
  {
    name: 'permission policy approve picks "Yes" by its text, never a wider "Yes, and ..." under the cursor',
    config: { policy: { permission: 'approve' } },
    steps: [
      [0, launched],
      [100, 'show', permission(menu(wide, 0))],
      [800, 'show', permission(menu(wide, 1))],
      [1_500, 'show', permission(menu(wide, 2))],
    ],
    keys: ['down', 'down', 'enter'],
    check: (d) =>
      expect(d.actions().filter((a) => a.startsWith('dialog:'))).toEqual([
        'dialog: permission menu: moving to "Yes"',
        'dialog: permission menu: moving to "Yes"',
        `dialog: permission approved: ${QUESTION}`,
      ]),
  },
  {
    name: 'permission policy approve refuses a menu without a plain "Yes" rather than guess',
    config: { policy: { permission: 'approve' } },
    steps: [
      [0, launched],
      [100, 'show', permission(menu(["Yes, and don't ask again for: node *", 'No'], 0))],
    ],
    outcome: { status: 'failed', reason: /^the permission menu has no plain "Yes"/ },
    keys: [],
  },
  {
    name: 'permission policy deny: escape, and the interrupted turn gets the "denied" follow-up',
    config: { policy: { permission: 'deny' } },
    steps: [
      [0, launched],
      [100, 'show', busy],
      [200, 'show', permission()],
      [1_000, 'show', interrupted],
      [1_000 + SCREEN_IDLE_CONFIRM_MS, 'show', interrupted],
    ],
    world: { turnFacts: [{ dirty: false, newCommits: 0 }] },
    keys: ['escape'],
    actions: [`dialog: permission denied: ${QUESTION}`, 'turn-end:nudge: interrupted'],
    inputs: [MESSAGES.denied],
  },
  {
    name: 'permission policy wait: waiting for a person, presses nothing, the idle timer stops',
    config: { policy: { permission: 'wait' }, idleMs: 1_000 },
    steps: [
      [0, launched],
      [100, { type: 'output' }],
      [200, 'show', permission()],
      [1_200, 'show', permission()],
      [50_000, 'tick'],
      [50_100, { type: 'abort' }],
    ],
    outcome: { status: 'interrupted', reason: 'interrupted' },
    keys: [],
    states: ['waiting', 'failed'],
    check: (d) => {
      expect(d.actions().filter((a) => a.startsWith('dialog:'))).toEqual([]);
      expect(d.actions().filter((a) => a.startsWith('waiting-for-human'))).toEqual([`waiting-for-human: waiting for a person to answer: ${QUESTION}`]);
      expect(d.effects).toContainEqual({ type: 'emit', event: expect.objectContaining({ type: 'state', state: expect.objectContaining({ kind: 'waiting', reason: 'permission' }) }) });
    },
  },
  {
    name: 'permission policy wait: once the person answered, output counts again for the idle timer',
    config: { policy: { permission: 'wait' }, idleMs: 1_000 },
    steps: [
      [0, launched],
      [200, 'show', permission()],
      [30_000, 'show', busy],
      [30_500, { type: 'output' }],
      [31_499, 'tick'],
    ],
    outcome: undefined,
    check: (d) => expect(d.state.timers.idle).toBe(31_500),
  },
  {
    name: 'custom API key prompt: never accepted, fails with what to do',
    steps: [
      [0, launched],
      [100, 'show', { kind: 'api-key-prompt' }],
    ],
    outcome: { status: 'failed', reason: API_KEY_REASON },
    keys: [],
    noActions: ['dialog:'],
  },
  {
    name: 'bypass-permissions warning: refused unless the task bypasses permissions',
    steps: [
      [0, launched],
      [100, 'show', { kind: 'bypass-warning', selected: 'no' }],
    ],
    outcome: { status: 'failed', reason: /bypass-permissions mode/ },
    keys: [],
  },
  {
    name: 'bypass-permissions warning: accepted when the task bypasses permissions',
    config: { bypassesPermissions: true },
    steps: [
      [0, launched],
      [100, 'show', { kind: 'bypass-warning', selected: 'no' }],
      [800, 'show', { kind: 'bypass-warning', selected: 'yes' }],
    ],
    outcome: undefined,
    keys: ['down', 'enter'],
    actions: ['dialog: bypass-permissions warning: accepted'],
  },
  {
    name: 'a notice is dismissed with enter',
    steps: [
      [0, launched],
      [100, 'show', { kind: 'notice', detail: 'New model available' }],
    ],
    keys: ['enter'],
    actions: ['dialog: notice dismissed: New model available'],
  },
  {
    name: 'a dialog that does not go away: gives up after the keys in a row',
    steps: [[0, launched], ...stuck({ kind: 'trust-dialog', selected: 'yes' }, MAX_DIALOG_KEYS_IN_A_ROW + 1)],
    outcome: { status: 'failed', reason: `a dialog did not go away after ${MAX_DIALOG_KEYS_IN_A_ROW} key presses` },
    check: (d) => expect(d.keys()).toHaveLength(MAX_DIALOG_KEYS_IN_A_ROW),
  },
  {
    name: 'keys in a row count again from zero once the dialog went away',
    config: { idleMs: 100_000 },
    steps: [
      [0, launched],
      ...stuck({ kind: 'notice', detail: 'n' }, MAX_DIALOG_KEYS_IN_A_ROW),
      [20_000, 'show', busy],
      ...stuck({ kind: 'notice', detail: 'n' }, 2).map(([t, ...r]): Step => [t + 30_000, ...r] as Step),
    ],
    outcome: undefined,
    check: (d) => expect(d.keys()).toHaveLength(MAX_DIALOG_KEYS_IN_A_ROW + 2),
  },
];

describe('session core: dialogs and permission prompts', () => {
  it.each(rows)('$name', (row) => void playRow(row));
});
