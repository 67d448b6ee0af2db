import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyClaudeScreen } from '../../src/agent/claude/screen-rules-2.1.js';
import { classifyCodexScreen } from '../../src/agent/codex/screen-rules-0.171.js';
import { decideDialog, HOOKS_REVIEW_REASON, type DialogPolicy } from '../../src/agent/dialog-policy.js';

const SCREENS = resolve(import.meta.dirname, '../../fixtures/screens');
const NOW = new Date('2026-11-23T15:00:00Z');
const approve: DialogPolicy = { permission: 'approve', acceptTrustDialog: true, bypassesPermissions: false };
const deny: DialogPolicy = { ...approve, permission: 'deny' };

/** The recorded menu, with the cursor moved to option `at` (1-based) as a person's key press would. */
function menuWithCursorAt(file: string, at: number): string[] {
  const lines = readFileSync(join(SCREENS, file), 'utf8').replace(/\n$/, '').split('\n');
  return lines.map((line) => {
    const option = /^(\s*)(?:❯\s)?(\s*)(\d+)\.(.*)$/.exec(line);
    if (!option) return line;
    return `${Number(option[3]) === at ? ' ❯ ' : '   '}${option[3]}.${option[4]}`;
  });
}

const PERMISSION_PROMPTS = ['claude-2.1.330/permission-prompt.txt', 'claude-2.1.330/permission-prompt-write.txt', 'claude-2.1.332/permission-prompt.txt'];

/** A recorded Codex menu with its cursor ("› ") moved to option `at` (1-based). */
function codexMenuWithCursorAt(file: string, at: number): string[] {
  const lines = readFileSync(join(SCREENS, file), 'utf8').replace(/\n$/, '').split('\n');
  return lines.map((line) => {
    const option = /^(?:› | {2})(\d+)\.(.*)$/.exec(line);
    if (!option) return line;
    return `${Number(option[1]) === at ? '› ' : '  '}${option[1]}.${option[2]}`;
  });
}

describe("answering Codex's permission prompt", () => {
  const file = 'codex-0.171.0/permission-prompt.txt';

  it('approves once with "Yes, proceed (y)", never with "Yes, and don\'t ask again for commands that start with …"', () => {
    expect(decideDialog(classifyCodexScreen(codexMenuWithCursorAt(file, 1), NOW, 'UTC'), approve)).toMatchObject({ do: 'keys', keys: ['enter'] });
    // The cursor on the "don't ask again" rule, or on "No": move up to the once-only yes.
    expect(decideDialog(classifyCodexScreen(codexMenuWithCursorAt(file, 2), NOW, 'UTC'), approve)).toMatchObject({ do: 'keys', keys: ['up'] });
    expect(decideDialog(classifyCodexScreen(codexMenuWithCursorAt(file, 3), NOW, 'UTC'), approve)).toMatchObject({ do: 'keys', keys: ['up'] });
  });

  it('denies with Escape, whatever is selected', () => {
    for (const at of [1, 2, 3]) expect(decideDialog(classifyCodexScreen(codexMenuWithCursorAt(file, at), NOW, 'UTC'), deny)).toMatchObject({ do: 'keys', keys: ['escape'] });
  });

  it('fails a menu whose only yes is a "don\'t ask again" rule, naming the options', () => {
    const options = [
      { label: "Yes, and don't ask again for commands that start with `rm` (p)", selected: true },
      { label: 'No, and tell Codex what to do differently (esc)', selected: false },
    ];
    expect(decideDialog({ kind: 'permission-prompt', question: 'Would you like to run the following command?', options }, approve)).toMatchObject({
      do: 'fail',
      reason: expect.stringContaining("don't ask again"),
    });
  });
});

describe('Codex asking to trust hooks', () => {
  it.each(['codex-0.171.0/hooks-need-review.txt', 'codex-0.171.0-80x40/hooks-need-review.txt'])(
    '%s: fails with what to do, under every policy, and presses nothing (neither trusting nor skipping)',
    (file) => {
      const screen = classifyCodexScreen(readFileSync(join(SCREENS, file), 'utf8').replace(/\n$/, '').split('\n'), NOW, 'UTC');
      expect(screen).toEqual({ kind: 'hooks-review' });
      for (const policy of [approve, deny, { ...approve, permission: 'wait' as const }]) {
        expect(decideDialog(screen, policy)).toEqual({ do: 'fail', reason: HOOKS_REVIEW_REASON });
      }
      expect(HOOKS_REVIEW_REASON).toContain('/hooks');
    },
  );
});

describe('answering a permission prompt by the text of its options', () => {
  it.each(PERMISSION_PROMPTS)('%s: Enter only while the cursor is on "Yes"', (file) => {
    expect(decideDialog(classifyClaudeScreen(menuWithCursorAt(file, 1), NOW), approve)).toMatchObject({ do: 'keys', keys: ['enter'] });
    // The cursor on "Yes, and ..." (a rule for the rest of the session, or another mode): move up to "Yes".
    expect(decideDialog(classifyClaudeScreen(menuWithCursorAt(file, 2), NOW), approve)).toMatchObject({ do: 'keys', keys: ['up'] });
  });

  it('moves down when "Yes" is below the cursor, and refuses a menu where it cannot see the cursor', () => {
    const screen = { kind: 'permission-prompt' as const, question: 'Do you want to proceed?' };
    const options = (selected: number) => ["Yes, and don't ask again", 'Yes', 'No'].map((label, i) => ({ label, selected: i === selected }));
    expect(decideDialog({ ...screen, options: options(0) }, approve)).toMatchObject({ do: 'keys', keys: ['down'] });
    expect(decideDialog({ ...screen, options: options(-1) }, approve)).toMatchObject({ do: 'fail' });
  });

  it.each(PERMISSION_PROMPTS)('%s: deny is Escape, whatever is selected', (file) => {
    expect(decideDialog(classifyClaudeScreen(menuWithCursorAt(file, 3), NOW), deny)).toMatchObject({ do: 'keys', keys: ['escape'] });
  });
});
