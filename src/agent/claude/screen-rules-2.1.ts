import type { MenuChoice, MenuOption, ScreenClass, ScreenRules } from '../screen-class.js';
import { readClaudeScreen, type ClaudeScreen } from './screen-layout.js';
import { parseUsageLimit } from './usage-limit.js';

/**
 * Screen rules for Claude Code 2.1.x (recorded on 2.1.330: fixtures/screens/claude-2.1.330/).
 * First match wins. Each rule asks for more than one marker where the wording has changed before,
 * so a new version that rewords one line degrades to `unknown`, not to a wrong answer.
 * Dialogs replace the input box, so dialog rules only look at screens without one: an agent
 * quoting a dialog's text in its transcript cannot trigger them.
 */
interface Rule {
  name: string;
  match(screen: ClaudeScreen, now: Date): ScreenClass | undefined;
}

const has = (lines: readonly string[], pattern: RegExp): boolean => lines.some((l) => pattern.test(l));
const find = (lines: readonly string[], pattern: RegExp): string | undefined => lines.find((l) => pattern.test(l));
const dialog = (s: ClaudeScreen): readonly string[] => (s.inputBox ? [] : s.lines);

/** Which menu line carries the `❯` cursor. */
function selected(lines: readonly string[], yes: RegExp, no: RegExp): MenuChoice {
  const cursor = lines.filter((l) => /^\s*❯/.test(l));
  if (cursor.some((l) => yes.test(l))) return 'yes';
  if (cursor.some((l) => no.test(l))) return 'no';
  return 'unknown';
}

const MENU_OPTION = /^\s*(❯)?\s*\d+\.\s+(.+?)\s*$/;

/** The numbered lines right under a question, in order; a long label's wrapped rest is not one. */
function menuOptions(lines: readonly string[]): MenuOption[] {
  const options: MenuOption[] = [];
  for (const line of lines) {
    const match = MENU_OPTION.exec(line);
    if (match) options.push({ label: match[2]!, selected: match[1] !== undefined });
    else if (options.length > 0 && line.trim() === '') break;
  }
  return options;
}

const TRUST_MARKERS = [/Do you trust the files in this folder\?/, /Quick safety check/, /Yes, I trust this folder/, /Is this a project you created or one you trust/];
const MENU_YES_NO = /^\s*(?:❯\s*)?(?:\d\.\s*)?(?:Yes|No)\b/;
const BUSY = /esc to interrupt/i;
/** "✢ Billowing…", "* Hullaballooing… (3s · ↓ 40 tokens)": a spinner glyph, a word, an ellipsis. */
const SPINNER = /^\s*[·✢✳✶✻✽*]\s+\S+…/;
const RETRYING = /retrying in \d+\s*s.*attempt \d+\/\d+/i;
const API_ERROR = /API Error/;
const RETRYABLE_DETAIL = /\b(429|5\d\d)\b|overloaded|rate limit|timed? ?out|connection/i;

export const CLAUDE_2_1_RULES: readonly Rule[] = [
  {
    name: 'session-in-use',
    match: (s) => (has(s.lines, /Session ID \S+ is already in use/) ? { kind: 'session-in-use' } : undefined),
  },
  {
    // `--resume` of a session that never got as far as its first message.
    name: 'session-not-found',
    match: (s) => (has(s.lines, /No conversation found with session ID/) ? { kind: 'session-not-found' } : undefined),
  },
  {
    name: 'api-key-prompt',
    match: (s) => (has(dialog(s), /Do you want to use this API key\?/) || has(dialog(s), /Detected a custom API key/) ? { kind: 'api-key-prompt' } : undefined),
  },
  {
    name: 'bypass-warning',
    match: (s) => (has(dialog(s), /Bypass Permissions mode/i) && has(dialog(s), /Yes, I accept/) ? { kind: 'bypass-warning', selected: selected(s.lines, /Yes, I accept/, /No, exit/) } : undefined),
  },
  {
    name: 'trust-dialog',
    match: (s) =>
      TRUST_MARKERS.some((m) => has(dialog(s), m)) && has(dialog(s), MENU_YES_NO) ? { kind: 'trust-dialog', selected: selected(s.lines, /❯\s*(?:\d\.\s*)?Yes/, /❯\s*(?:\d\.\s*)?No/) } : undefined,
  },
  {
    name: 'permission-prompt',
    match: (s) => {
      const lines = dialog(s);
      const row = lines.findIndex((l) => /^\s*Do you want to .+\?\s*$/.test(l));
      if (row < 0 || !has(lines, /^\s*(?:❯\s*)?\d+\.\s*Yes\b/)) return undefined;
      return { kind: 'permission-prompt', question: lines[row]!.trim(), options: menuOptions(lines.slice(row + 1)) };
    },
  },
  {
    name: 'notice',
    match: (s) => {
      const lines = dialog(s);
      if (!has(lines, /Enter to continue/) || has(lines, /^\s*(?:❯\s*)?\d+\.\s/)) return undefined;
      const ruleRow = lines.findLastIndex((l) => /^\s*─{10,}/.test(l));
      const detail =
        lines
          .slice(ruleRow + 1)
          .find((l) => l.trim() !== '')
          ?.trim() ?? '';
      return { kind: 'notice', detail };
    },
  },
  {
    name: 'retrying',
    match: (s) => {
      const line = find(s.recent.length > 0 ? s.recent : s.lines, RETRYING);
      return line ? { kind: 'retrying', detail: line.trim() } : undefined;
    },
  },
  {
    name: 'busy',
    match: (s) => (has(s.footer, BUSY) || has(s.recent, BUSY) || has(s.recent, SPINNER) ? { kind: 'busy' } : undefined),
  },
  {
    name: 'usage-limit',
    match: (s, now) => {
      const limit = parseUsageLimit(s.inputBox ? s.recent : s.lines, now);
      return limit ? { kind: 'usage-limit', resetAt: limit.resetAt, detail: limit.detail } : undefined;
    },
  },
  {
    name: 'api-error',
    match: (s) => {
      if (!s.inputBox) return undefined;
      const resend = /Resend your message to try again/.test(s.inputBox.text);
      const fixFirst = /Once fixed, resend your message/.test(s.inputBox.text);
      const line = find(s.recent, API_ERROR);
      if (!resend && !fixFirst && !line) return undefined;
      const detail = (line ?? s.recent.find((l) => l.trim() !== '') ?? s.inputBox.text).trim();
      const retryable = resend || (!fixFirst && RETRYABLE_DETAIL.test(detail));
      return { kind: 'api-error', retryable, detail };
    },
  },
  {
    name: 'idle',
    match: (s) => (s.inputBox ? { kind: 'idle', interrupted: has(s.recent, /Interrupted/) } : undefined),
  },
];

export function classifyClaudeScreen(lines: readonly string[], now: Date): ScreenClass {
  const screen = readClaudeScreen(lines);
  for (const rule of CLAUDE_2_1_RULES) {
    const result = rule.match(screen, now);
    if (result) return result;
  }
  return { kind: 'unknown' };
}

/** This turn's latest `●` line (a tool call or the reply), else the spinner. */
function summarizeClaudeScreen(lines: readonly string[]): string | undefined {
  const screen = readClaudeScreen(lines);
  const recent = screen.recent.map((l) => l.trim()).filter((l) => l !== '');
  return [...recent].reverse().find((l) => l.startsWith('●') || SPINNER.test(l)) ?? recent.at(-1);
}

export const claudeScreenRules21: ScreenRules = {
  family: 'claude 2.1.x',
  classify: classifyClaudeScreen,
  summarize: summarizeClaudeScreen,
};
