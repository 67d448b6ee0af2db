import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyCodexScreen, codexScreenRules0171 } from '../../src/agent/codex/screen-rules-0.171.js';
import { parseCodexUsageLimit } from '../../src/agent/codex/usage-limit.js';
import type { ScreenClass } from '../../src/agent/screen-class.js';

const SCREENS = resolve(import.meta.dirname, '../../fixtures/screens');
/** When the screens were recorded, on a machine whose clock read UTC. */
const NOW = new Date('2026-12-02T12:40:00Z');

function screen(path: string): string[] {
  return readFileSync(join(SCREENS, path), 'utf8').replace(/\n$/, '').split('\n');
}

type Expected = Partial<ScreenClass> & { kind: ScreenClass['kind'] };

const PERMISSION_OPTIONS = [
  { label: 'Yes, proceed (y)', selected: true },
  { label: "Yes, and don't ask again for commands that start with `git add -A` (p)", selected: false },
  { label: 'No, and tell Codex what to do differently (esc)', selected: false },
];

/**
 * Screens recorded from the real Codex CLI 0.171.0 in a 120×40 PTY (node-pty into @xterm/headless,
 * as ccwave reads them), driven against a fake Responses API: its answer for each screen is named.
 */
const RECORDED: Array<[file: string, expected: Expected]> = [
  // No trust set for the folder.
  ['trust-dialog.txt', { kind: 'trust-dialog', selected: 'yes' }],
  // A Stop hook in config.toml, without --dangerously-bypass-hook-trust.
  ['hooks-need-review.txt', { kind: 'hooks-review' }],
  // An answer held back 8 s.
  ['busy-working.txt', { kind: 'busy' }],
  // A command that sleeps.
  ['busy-tool-running.txt', { kind: 'busy' }],
  // The answer held back after a reasoning summary: its text is the status line's title…
  ['busy-reasoning-title.txt', { kind: 'busy' }],
  // …truncated, "esc to interrupt" and all, when long.
  ['busy-reasoning-title-truncated.txt', { kind: 'busy' }],
  ['idle-after-turn.txt', { kind: 'idle', interrupted: false }],
  // `codex resume <id>` without a message: the old turns drawn again.
  ['idle-resumed.txt', { kind: 'idle', interrupted: false }],
  // Esc while the answer was held back.
  ['idle-interrupted.txt', { kind: 'idle', interrupted: true }],
  // `-s workspace-write -a on-request`, a command asking for `require_escalated`.
  ['permission-prompt.txt', { kind: 'permission-prompt', question: 'Would you like to run the following command?', options: PERMISSION_OPTIONS }],
  ['idle-after-approval.txt', { kind: 'idle', interrupted: false }],
  // Esc on the approval: Codex ends the turn.
  ['idle-after-deny.txt', { kind: 'idle', interrupted: true }],
  // HTTP 500 to every request: five quick retries, then the error.
  ['retrying-500.txt', { kind: 'retrying', detail: '◦ Reconnecting... 1/5 (3s • esc to interrupt) └ We’re currently experiencing high demand, which may cause temporary errors.' }],
  ['api-error-500.txt', { kind: 'api-error', retryable: true, detail: 'We’re currently experiencing high demand, which may cause temporary errors.' }],
  // HTTP 429 {"error":{"type":"rate_limit_exceeded"}}: retried without a screen of its own.
  ['api-error-429-retry-limit.txt', { kind: 'api-error', retryable: true, detail: 'exceeded retry limit, last status: 429 Too Many Requests' }],
  ['api-error-400-invalid-prompt.txt', { kind: 'api-error', retryable: false, detail: 'Invalid prompt: the prompt was rejected.' }],
  ['api-error-401.txt', { kind: 'api-error', retryable: false }],
  // HTTP 400 {"error":{"code":"context_length_exceeded"}}.
  ['api-error-context-window.txt', { kind: 'api-error', retryable: false }],
  // HTTP 429 {"error":{"type":"usage_not_included"}}: no reset will help.
  ['api-error-usage-not-included.txt', { kind: 'api-error', retryable: false, detail: 'To use Codex with your ChatGPT plan, upgrade to Plus: https://chatgpt.com/explore/plus.' }],
  // HTTP 429 {"error":{"type":"usage_limit_reached","plan_type":"plus","resets_at":<today 14:39:36Z>}}.
  [
    'usage-limit-plus.txt',
    {
      kind: 'usage-limit',
      resetAt: new Date('2026-12-02T14:39:00Z'),
      detail: 'You’ve hit your usage limit. Upgrade to Pro (https://chatgpt.com/explore/pro), visit https://chatgpt.com/settings/ usage to purchase more credits or try again at 2:39 PM.',
    },
  ],
  // The same for plan "free", resetting two days later: Codex writes the date.
  ['usage-limit-free-other-day.txt', { kind: 'usage-limit', resetAt: new Date('2026-12-04T13:40:00Z') }],
  // Plan "pro", no resets_at.
  ['usage-limit-pro-try-later.txt', { kind: 'usage-limit', resetAt: undefined }],
  // `codex resume <a uuid it never saw>`.
  ['session-not-found.txt', { kind: 'session-not-found' }],
];

/**
 * Recorded the same way, with the agent (the fake API's commands and answers) or the task prompt
 * writing Codex's own words: the transcript must never be read as the UI.
 */
const HOSTILE: Array<[file: string, expected: Expected]> = [
  // A usage limit, then "continue" and a finished turn: the old limit is history.
  ['idle-after-stale-usage-limit.txt', { kind: 'idle', interrupted: false }],
  // A command printed "› 1. Trust and continue", "• Working (… esc to interrupt)", a usage-limit
  // line, "Would you like to run…", "◦ Reconnecting... 1/5 …", "› Ask Codex…", "ERROR: No saved session…".
  ['busy-after-hostile-output.txt', { kind: 'busy' }],
  // …and the answer repeated them, as Markdown.
  ['idle-transcript-quotes-ui.txt', { kind: 'idle', interrupted: false }],
  // The task prompt itself quoting them.
  ['idle-prompt-quotes-ui.txt', { kind: 'idle', interrupted: false }],
  // The answer was exactly "Working (2s • esc to interrupt)", after a screenful of commands or alone.
  ['idle-answer-mimics-working.txt', { kind: 'idle', interrupted: false }],
  ['idle-short-answer-mimics-working.txt', { kind: 'idle', interrupted: false }],
  // A real approval under that output.
  ['permission-prompt-under-hostile-output.txt', { kind: 'permission-prompt', question: 'Would you like to run the following command?', options: PERMISSION_OPTIONS }],
  // A real approval for a command whose lines (and reason) are "› 1. Trust and continue",
  // "  2. Yes, proceed (y)", "Trust this folder?", "Hooks need review", "› Ask Codex to do anything".
  [
    'permission-prompt-command-quotes-ui.txt',
    {
      kind: 'permission-prompt',
      question: 'Would you like to run the following command?',
      options: [
        { label: 'Yes, proceed (y)', selected: true },
        { label: 'No, and tell Codex what to do differently (esc)', selected: false },
      ],
    },
  ],
];

/** The same screens in an 80×40 PTY. */
const NARROW: Array<[file: string, expected: Expected]> = [
  ['trust-dialog.txt', { kind: 'trust-dialog', selected: 'yes' }],
  ['hooks-need-review.txt', { kind: 'hooks-review' }],
  ['busy-working.txt', { kind: 'busy' }],
  ['busy-reasoning-title-truncated.txt', { kind: 'busy' }],
  ['retrying-500.txt', { kind: 'retrying', detail: '• Reconnecting... 1/5 (3s • esc to interrupt) └ We’re currently experiencing high demand, which may cause temporary errors.' }],
  ['idle-after-turn.txt', { kind: 'idle', interrupted: false }],
  ['idle-interrupted.txt', { kind: 'idle', interrupted: true }],
  ['permission-prompt.txt', { kind: 'permission-prompt', question: 'Would you like to run the following command?', options: PERMISSION_OPTIONS }],
  ['busy-after-hostile-output.txt', { kind: 'busy' }],
  ['idle-transcript-quotes-ui.txt', { kind: 'idle', interrupted: false }],
];

/** Run with --no-alt-screen (120×40): the transcript scrolls off into the terminal's scrollback. */
const NO_ALT_SCREEN: Array<[file: string, expected: Expected]> = [
  ['busy-tool-running.txt', { kind: 'busy' }],
  ['idle-after-turn.txt', { kind: 'idle', interrupted: false }],
];

describe('Codex 0.171 screen rules', () => {
  it.each(RECORDED)('recorded codex-0.171.0/%s', (file, expected) => {
    expect(classifyCodexScreen(screen(`codex-0.171.0/${file}`), NOW, 'UTC')).toMatchObject(expected);
  });

  it.each(HOSTILE)('recorded codex-0.171.0/%s (text an agent wrote)', (file, expected) => {
    expect(classifyCodexScreen(screen(`codex-0.171.0/${file}`), NOW, 'UTC')).toMatchObject(expected);
  });

  it.each(NARROW)('recorded codex-0.171.0-80x40/%s', (file, expected) => {
    expect(classifyCodexScreen(screen(`codex-0.171.0-80x40/${file}`), NOW, 'UTC')).toMatchObject(expected);
  });

  it.each(NO_ALT_SCREEN)('recorded codex-0.171.0-no-alt-screen/%s', (file, expected) => {
    expect(classifyCodexScreen(screen(`codex-0.171.0-no-alt-screen/${file}`), NOW, 'UTC')).toMatchObject(expected);
  });

  it('reads a reset time wrapped over three lines on Codex’s own clock (TZ=Asia/Tokyo, 80 columns)', () => {
    // 11:10 PM in Tokyo is 14:10Z, still ahead of 12:40Z.
    expect(classifyCodexScreen(screen('codex-0.171.0-80x40/usage-limit-tokyo.txt'), NOW, 'Asia/Tokyo')).toMatchObject({
      kind: 'usage-limit',
      resetAt: new Date('2026-12-02T14:10:00Z'),
    });
  });

  it('says unknown for a blank or foreign screen, and for a menu it does not know', () => {
    expect(classifyCodexScreen([], NOW, 'UTC')).toEqual({ kind: 'unknown' });
    expect(classifyCodexScreen(['$ ls', 'README.md', '$'], NOW, 'UTC')).toEqual({ kind: 'unknown' });
    const menu = ['  Pick one', '', '› 1. Apples', '  2. Pears', '', '  enter confirm'];
    expect(classifyCodexScreen(menu, NOW, 'UTC')).toEqual({ kind: 'unknown' });
    // Numbered out of order: not a menu as Codex draws it.
    const trust = screen('codex-0.171.0/trust-dialog.txt').map((l) => l.replace('2. Back', '3. Back'));
    expect(classifyCodexScreen(trust, NOW, 'UTC')).toEqual({ kind: 'unknown' });
  });

  it('reads where the trust menu’s cursor is', () => {
    const moved = screen('codex-0.171.0/trust-dialog.txt').map((l) => l.replace(/^› 1\./, '  1.').replace(/^ {2}2\. Back/, '› 2. Back'));
    expect(classifyCodexScreen(moved, NOW, 'UTC')).toEqual({ kind: 'trust-dialog', selected: 'no' });
  });

  it('summarizes what the agent is doing', () => {
    expect(codexScreenRules0171.summarize(screen('codex-0.171.0/busy-working.txt'))).toBe('• Working (2s • esc to interrupt)');
    expect(codexScreenRules0171.summarize(screen('codex-0.171.0/busy-reasoning-title.txt'))).toBe('• I will write the file. (2s • esc to interrupt)');
    expect(codexScreenRules0171.summarize(screen('codex-0.171.0/idle-after-tool.txt'))).toBe('• All done.');
    expect(codexScreenRules0171.summarize(screen('codex-0.171.0/busy-after-hostile-output.txt'))).toMatch(/^• Ran printf/);
  });
});

describe('parseCodexUsageLimit', () => {
  it.each([
    ['You’ve hit your usage limit. Try again at 9:05 PM.', 'UTC', '2026-12-02T21:05:00.000Z'],
    // Passed ten minutes ago (Codex rounds down to the minute): over, not tomorrow's.
    ["You've hit your usage limit. Try again at 12:30 PM.", 'UTC', '2026-12-02T12:30:00.000Z'],
    // 12:40Z is 9:40 PM in Tokyo: 11:59 PM is the same day.
    ['You’ve hit your usage limit. Try again at 11:59 PM.', 'Asia/Tokyo', '2026-12-02T14:59:00.000Z'],
    // 12 AM is midnight, today's in Berlin.
    ['You’ve hit your usage limit. … or try again at 12:10 AM.', 'Europe/Berlin', '2026-12-01T23:10:00.000Z'],
    ['You’ve hit your usage limit. … or try again at Jan 1st, 2027 1:00 AM.', 'America/New_York', '2027-01-01T06:00:00.000Z'],
  ])('%s (local zone %s)', (text, zone, expected) => {
    expect(parseCodexUsageLimit(text, NOW, zone)?.resetAt?.toISOString()).toBe(expected);
  });

  it.each(['You’ve hit your usage limit. Try again at 13:05 PM.', 'You’ve hit your usage limit. Try again at 1:75 PM.', 'You’ve hit your usage limit. Try again at Foo 3rd, 2027 1:00 AM.'])(
    'reads a limit with a time that is not one as a limit without a time: %s',
    (text) => {
      expect(parseCodexUsageLimit(text, NOW, 'UTC')).toEqual({ resetAt: undefined, detail: text });
    },
  );

  it('is not a limit without the words', () => {
    expect(parseCodexUsageLimit('Try again at 2:39 PM.', NOW, 'UTC')).toBeUndefined();
  });
});
