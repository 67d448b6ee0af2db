import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyClaudeScreen } from '../../src/agent/claude/screen-rules-2.1.js';
import { decideDialog, type DialogPolicy } from '../../src/agent/dialog-policy.js';

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
