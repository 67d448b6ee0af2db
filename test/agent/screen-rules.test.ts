import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyClaudeScreen, claudeScreenRules21 } from '../../src/agent/claude/screen-rules-2.1.js';
import type { ScreenClass } from '../../src/agent/screen-class.js';

const SCREENS = resolve(import.meta.dirname, '../../fixtures/screens');
const NOW = new Date('2026-11-23T15:00:00Z');

function screen(path: string): string[] {
  return readFileSync(join(SCREENS, path), 'utf8').replace(/\n$/, '').split('\n');
}

/** Screens recorded from the real Claude Code 2.1.330 binary in a 120×40 PTY. */
const RECORDED: Array<[file: string, expected: Partial<ScreenClass> & { kind: ScreenClass['kind'] }]> = [
  ['trust-dialog.txt', { kind: 'trust-dialog', selected: 'no' }],
  ['bypass-permissions-warning.txt', { kind: 'bypass-warning', selected: 'no' }],
  ['custom-api-key-prompt.txt', { kind: 'api-key-prompt' }],
  ['auto-mode-billing-notice.txt', { kind: 'notice' }],
  ['busy-thinking.txt', { kind: 'busy' }],
  ['busy-tool-running.txt', { kind: 'busy' }],
  ['idle-after-turn.txt', { kind: 'idle', interrupted: false }],
  ['idle-interrupted-after-deny.txt', { kind: 'idle', interrupted: true }],
  ['permission-prompt.txt', { kind: 'permission-prompt', question: 'Do you want to proceed?' }],
  ['permission-prompt-write.txt', { kind: 'permission-prompt', question: 'Do you want to create hello.txt?' }],
  ['rate-limit-retrying.txt', { kind: 'retrying' }],
  ['api-error-429.txt', { kind: 'api-error', retryable: true }],
  ['api-error-prompt-too-long.txt', { kind: 'api-error', retryable: false }],
  ['session-id-in-use.txt', { kind: 'session-in-use' }],
  ['session-not-found.txt', { kind: 'session-not-found' }],
];

/** The newest version users run, recorded the same way: one table must read both. */
const RECORDED_2_1_332: Array<[file: string, expected: Partial<ScreenClass> & { kind: ScreenClass['kind'] }]> = [
  ['trust-dialog.txt', { kind: 'trust-dialog', selected: 'no' }],
  ['idle-after-turn.txt', { kind: 'idle', interrupted: false }],
  [
    'permission-prompt.txt',
    {
      kind: 'permission-prompt',
      question: 'Do you want to proceed?',
      options: [
        { label: 'Yes', selected: true },
        { label: 'Yes, and don’t ask again for: node *', selected: false },
        { label: 'Yes, and switch to auto mode · auto mode handles these prompts for you', selected: false },
        { label: 'No', selected: false },
      ],
    },
  ],
];

/** Texts that cannot be reproduced offline, written by hand in the 2.1 layout (and an older one). */
const HANDWRITTEN: Array<[file: string, expected: Partial<ScreenClass> & { kind: ScreenClass['kind'] }]> = [
  ['trust-dialog-old-wording.txt', { kind: 'trust-dialog', selected: 'yes' }],
  ['trust-dialog-numbered-yes.txt', { kind: 'trust-dialog', selected: 'yes' }],
  ['overloaded-retrying.txt', { kind: 'retrying', detail: '✻ 529 Overloaded · Retrying in 4s · attempt 6/10' }],
  ['usage-limit-epoch.txt', { kind: 'usage-limit', resetAt: new Date(1749924000 * 1000) }],
  // 3pm in Santiago (UTC-3 in November) = 18:00Z, still ahead of 15:00Z.
  ['usage-limit-reset-at-santiago.txt', { kind: 'usage-limit', resetAt: new Date('2026-11-23T18:00:00Z') }],
  // 10pm in New York (UTC-5) = 03:00Z next day.
  ['usage-limit-hit-your-limit-new-york.txt', { kind: 'usage-limit', resetAt: new Date('2026-11-24T03:00:00Z') }],
  // 8:30pm in Tokyo (UTC+9) = 11:30Z; today's 11:30Z has passed at 15:00Z, so tomorrow.
  ['usage-limit-session-tokyo.txt', { kind: 'usage-limit', resetAt: new Date('2026-11-24T11:30:00Z') }],
  ['stale-usage-limit-then-continued.txt', { kind: 'idle', interrupted: false }],
  ['transcript-quotes-dialog-text.txt', { kind: 'idle', interrupted: false }],
];

describe('Claude 2.1 screen rules', () => {
  it.each(RECORDED)('recorded claude-2.1.330/%s', (file, expected) => {
    expect(classifyClaudeScreen(screen(`claude-2.1.330/${file}`), NOW)).toMatchObject(expected);
  });

  it.each(RECORDED_2_1_332)('recorded claude-2.1.332/%s', (file, expected) => {
    expect(classifyClaudeScreen(screen(`claude-2.1.332/${file}`), NOW)).toMatchObject(expected);
  });

  it('reads the permission menu of 2.1.330 option by option', () => {
    expect(classifyClaudeScreen(screen('claude-2.1.330/permission-prompt-write.txt'), NOW)).toMatchObject({
      options: [
        { label: 'Yes', selected: true },
        { label: 'Yes, and switch to accept edits (auto-approve file edits and common file commands) for this session (shift+tab)', selected: false },
        { label: 'No', selected: false },
      ],
    });
  });

  it.each(HANDWRITTEN)('hand-written claude-2.1-handwritten/%s', (file, expected) => {
    expect(classifyClaudeScreen(screen(`claude-2.1-handwritten/${file}`), NOW)).toMatchObject(expected);
  });

  it('reads a "resets 1am" without a zone in the local zone', () => {
    const result = classifyClaudeScreen(screen('claude-2.1-handwritten/usage-limit-5-hour-resets-1am.txt'), NOW);
    expect(result.kind).toBe('usage-limit');
    if (result.kind !== 'usage-limit') return;
    expect(result.resetAt?.getTime()).toBeGreaterThan(NOW.getTime());
    expect(result.resetAt!.getTime() - NOW.getTime()).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('says unknown for a blank or foreign screen', () => {
    expect(classifyClaudeScreen([], NOW)).toEqual({ kind: 'unknown' });
    expect(classifyClaudeScreen(['$ ls', 'README.md', '$'], NOW)).toEqual({ kind: 'unknown' });
  });

  it('summarizes what the agent is doing', () => {
    expect(claudeScreenRules21.summarize(screen('claude-2.1.330/busy-tool-running.txt'))).toMatch(/Hullaballooing/);
    expect(claudeScreenRules21.summarize(screen('claude-2.1.330/idle-after-turn.txt'))).toBe('● Done: wrote and committed hello.txt');
  });
});
