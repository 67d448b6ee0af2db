import type { MenuOption, ScreenClass, ScreenRules } from '../screen-class.js';
import { cellText, readCodexScreen, type CodexScreen } from './screen-layout.js';
import { parseCodexUsageLimit } from './usage-limit.js';
import { systemTimeZone } from '../wall-clock.js';

/**
 * Screen rules for Codex CLI 0.171.x (recorded on 0.171.0: fixtures/screens/codex-0.171.0/).
 * First match wins. Codex draws its own lines from column 0 and indents everything an agent can
 * write (command output, the answer's further lines, the echoed message's further lines), so the
 * rules read only column-0 lines of this turn, the status line right above the composer, and a
 * dialog by the labels of its menu: an agent printing "esc to interrupt", "Trust this folder?" or
 * a usage-limit text cannot trigger them.
 */
interface Rule {
  name: string;
  match(screen: CodexScreen, now: Date, localZone: string): ScreenClass | undefined;
}

interface Menu {
  options: MenuOption[];
  /** The dialog's lines above the menu. */
  above: readonly string[];
}

const OPTION = /^(›| ) (\d+)\. (.+?)\s*$/;

/**
 * The numbered menu whose cursor (`› 1.` in column 0) is lowest on a screen without a composer:
 * its lines must be contiguous and numbered 1, 2, 3…, so numbered lines an agent wrote higher up
 * (a command quoted in an approval dialog is indented, and a blank line sets it apart) are not
 * part of it.
 */
function readMenu(s: CodexScreen): Menu | undefined {
  if (s.composer) return undefined;
  const cursor = s.lines.findLastIndex((l) => /^› \d+\. /.test(l));
  if (cursor < 0) return undefined;
  let first = cursor;
  while (first > 0 && OPTION.test(s.lines[first - 1] ?? '')) first--;
  const options: MenuOption[] = [];
  for (let row = first; row < s.lines.length; row++) {
    const match = OPTION.exec(s.lines[row] ?? '');
    if (!match) break;
    if (Number(match[2]) !== options.length + 1) return undefined;
    options.push({ label: match[3]!, selected: match[1] === '›' });
  }
  return { options, above: s.lines.slice(0, first) };
}

const hasOption = (menu: Menu, label: RegExp): boolean => menu.options.some((o) => label.test(o.label));

/** The last column-0 cell of this turn that matches, with its wrapped rest. */
function turnCell(s: CodexScreen, pattern: RegExp): string | undefined {
  const row = s.recent.findLastIndex((l) => pattern.test(l));
  return row < 0 ? undefined : cellText(s.recent, row);
}

const INTERRUPTED = /^■ Conversation interrupted/;
const ERROR_CELL = /^■ (?!Conversation interrupted)/;
/** Errors that resending the same message later may get past. */
const RETRYABLE_DETAIL = /high demand|exceeded retry limit|\b(?:429|5\d\d)\b|overloaded|rate limit|timed? ?out|stream disconnected|connection/i;

export const CODEX_0_171_RULES: readonly Rule[] = [
  {
    // `codex resume <id>` of a session this CODEX_HOME does not hold; Codex exits with status 1.
    name: 'session-not-found',
    match: (s) => (!s.composer && s.lines.some((l) => /^ERROR: No saved session found with ID \S+/.test(l)) ? { kind: 'session-not-found' } : undefined),
  },
  {
    // "Trust this folder? … › 1. Trust and continue / 2. Back to Agent Command Center".
    name: 'trust-dialog',
    match: (s) => {
      const menu = readMenu(s);
      if (!menu || !hasOption(menu, /^Trust and continue$/) || !menu.above.some((l) => /^ {2}Trust this folder\?/.test(l))) return undefined;
      const cursor = menu.options.find((o) => o.selected);
      return { kind: 'trust-dialog', selected: cursor === undefined ? 'unknown' : /^Trust and continue$/.test(cursor.label) ? 'yes' : 'no' };
    },
  },
  {
    // "Hooks need review … 1. Review hooks / 2. Trust all and continue / 3. Continue without trusting
    // (hooks won't run)", shown for hooks Codex has not been told to trust: ccwave's own are (the
    // bypass flag), so these are the user's or the worktree's. Its own kind, never a permission
    // prompt: no policy may trust them, nor skip them (Esc: they would not run), for the user.
    name: 'hooks-review',
    match: (s) => {
      const menu = readMenu(s);
      if (!menu || !hasOption(menu, /^Trust all and continue$/) || !hasOption(menu, /^Continue without trusting/)) return undefined;
      return { kind: 'hooks-review' };
    },
  },
  {
    // "Would you like to run the following command? … › 1. Yes, proceed (y) / … / No, and tell Codex
    // what to do differently (esc)". The question is the dialog's first: the command and the reason
    // under it are the agent's words.
    name: 'permission-prompt',
    match: (s) => {
      const menu = readMenu(s);
      if (!menu || !hasOption(menu, /^Yes\b/) || !hasOption(menu, /^No\b/)) return undefined;
      const transcriptEnd = menu.above.findLastIndex((l) => /^\S/.test(l));
      const question = menu.above.slice(transcriptEnd + 1).find((l) => /^ {2}Would you like to .+\?\s*$/.test(l));
      return question ? { kind: 'permission-prompt', question: question.trim(), options: menu.options } : undefined;
    },
  },
  {
    name: 'retrying',
    match: (s) => {
      const line = s.status[0];
      return line && /^[•◦] Reconnecting\b/.test(line) ? { kind: 'retrying', detail: s.status.map((l) => l.trim()).join(' ') } : undefined;
    },
  },
  {
    name: 'busy',
    match: (s) => (s.status.length > 0 ? { kind: 'busy' } : undefined),
  },
  {
    name: 'usage-limit',
    match: (s, now, localZone) => {
      const cell = s.composer ? turnCell(s, /^■ You[’']ve hit your usage limit/) : undefined;
      const limit = cell === undefined ? undefined : parseCodexUsageLimit(cell.replace(/^■ /, ''), now, localZone);
      return limit ? { kind: 'usage-limit', resetAt: limit.resetAt, detail: limit.detail } : undefined;
    },
  },
  {
    name: 'api-error',
    match: (s) => {
      const cell = s.composer ? turnCell(s, ERROR_CELL) : undefined;
      if (cell === undefined) return undefined;
      const detail = cell.replace(/^■ /, '');
      return { kind: 'api-error', retryable: RETRYABLE_DETAIL.test(detail), detail };
    },
  },
  {
    name: 'idle',
    match: (s) => (s.composer ? { kind: 'idle', interrupted: s.recent.some((l) => INTERRUPTED.test(l)) } : undefined),
  },
];

/** `localZone`: Codex's own, in which it writes a reset time (ccwave passes its environment on). */
export function classifyCodexScreen(lines: readonly string[], now: Date, localZone = systemTimeZone()): ScreenClass {
  const screen = readCodexScreen(lines);
  for (const rule of CODEX_0_171_RULES) {
    const result = rule.match(screen, now, localZone);
    if (result) return result;
  }
  return { kind: 'unknown' };
}

/** This turn's latest column-0 line of Codex's (`• Ran …`, the answer, an error), else the status line. */
function summarizeCodexScreen(lines: readonly string[]): string | undefined {
  const screen = readCodexScreen(lines);
  const own = screen.recent.findLast((l) => /^[•■✔✗] \S/.test(l));
  return own?.trim() ?? screen.status[0]?.trim() ?? screen.recent.findLast((l) => l.trim() !== '')?.trim();
}

export const codexScreenRules0171: ScreenRules = {
  family: 'codex 0.171.x',
  classify: (lines, now) => classifyCodexScreen(lines, now),
  summarize: summarizeCodexScreen,
};
