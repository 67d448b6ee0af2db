/**
 * Where things are on a Codex 0.171 screen (full-screen TUI, 120×40 and 80 columns alike):
 *
 *   › Write a.txt and commit it                 the user's message, echoed (more lines indented 2)
 *   • Ran echo hi                               Codex's own lines start in column 0 with a glyph;
 *     └ hi                                      whatever the agent prints (command output, the
 *   • All done.                                 answer's further lines) is indented
 *   ■ You’ve hit your usage limit. …            an error cell, its wrapped rest in column 0
 *   • Working (2s • esc to interrupt)           the status line, right above the composer, with
 *     └ detail                                  an optional detail line
 *   › Ask Codex to do anything                  the composer (its placeholder, or the typed text)
 *     gpt-5-codex default · /path · title       the footer
 *
 * Dialogs (trust, hooks review, approval) replace the composer and the footer with a numbered
 * menu whose cursor line starts `› 1.` in column 0.
 */
export interface CodexScreen {
  readonly lines: readonly string[];
  /** The composer, when one is drawn (dialogs replace it). */
  readonly composer: { row: number; text: string } | undefined;
  /** The status line and its detail line, when a turn is running. */
  readonly status: readonly string[];
  /** Transcript lines after the last echoed user message, above the bottom pane: this turn's output. */
  readonly recent: readonly string[];
}

const ECHO_OR_COMPOSER = /^›(?: (.*))?$/;
const MENU_CURSOR = /^› \d+\. /;
/** Rows the footer (and a composer's wrapped text) take below the composer's first line, at most. */
const MAX_BELOW_COMPOSER = 8;
/** Rows between the status line and the composer, at most. */
const MAX_STATUS_GAP = 4;
/**
 * `• Working (2s • esc to interrupt)`, `◦ Reconnecting... 1/5 (3s • esc to interrupt)`, or the
 * model's reasoning title, which a long title truncates before "esc to interrupt" (`• Writing the
 * file a.txt … on th…`). A finished turn always ends in an indented "Worked for 2s" or a `■` line,
 * so a `•` line right above the composer is this status line, not the transcript's.
 */
const STATUS_LINE = /^[•◦] \S/;
const DETAIL_LINE = /^ {2}└ /;

export function readCodexScreen(lines: readonly string[]): CodexScreen {
  const composerRow = findComposer(lines);
  const bottom = composerRow ?? lines.length;
  const statusRow = findStatus(lines, composerRow) ?? bottom;
  const status = statusRow < bottom ? lines.slice(statusRow, statusRow + 2).filter((l, i) => i === 0 || DETAIL_LINE.test(l)) : [];
  let start = 0;
  for (let row = statusRow - 1; row >= 0; row--) {
    if (ECHO_OR_COMPOSER.test(lines[row] ?? '') && !MENU_CURSOR.test(lines[row] ?? '')) {
      start = row + 1;
      break;
    }
  }
  // The echoed message's further lines are indented: this turn's output starts at Codex's first own line.
  while (start < statusRow && !/^\S/.test(lines[start] ?? '')) start++;
  return {
    lines,
    composer: composerRow === undefined ? undefined : { row: composerRow, text: (ECHO_OR_COMPOSER.exec(lines[composerRow] ?? '')?.[1] ?? '').trim() },
    status,
    recent: lines.slice(start, Math.max(start, statusRow)),
  };
}

/**
 * The lowest `› ` line in column 0 with only indented lines (its wrapped text, the footer) below:
 * an echoed message has Codex's own lines below it, a menu's cursor line is numbered.
 */
function findComposer(lines: readonly string[]): number | undefined {
  let last = lines.length - 1;
  while (last >= 0 && (lines[last] ?? '').trim() === '') last--;
  for (let row = last; row >= 0 && last - row <= MAX_BELOW_COMPOSER; row--) {
    const line = lines[row] ?? '';
    if (ECHO_OR_COMPOSER.test(line)) return MENU_CURSOR.test(line) ? undefined : row;
    if (/^\S/.test(line)) return undefined;
  }
  return undefined;
}

/**
 * The status line's row, when the last line above the composer is one (or its detail line): a
 * status line higher up is the transcript's, which an agent can write.
 */
function findStatus(lines: readonly string[], composerRow: number | undefined): number | undefined {
  if (composerRow === undefined) return undefined;
  let row = composerRow - 1;
  while (row >= 0 && composerRow - row <= MAX_STATUS_GAP && (lines[row] ?? '').trim() === '') row--;
  if (row < 0 || composerRow - row > MAX_STATUS_GAP) return undefined;
  if (STATUS_LINE.test(lines[row] ?? '')) return row;
  return DETAIL_LINE.test(lines[row] ?? '') && STATUS_LINE.test(lines[row - 1] ?? '') ? row - 1 : undefined;
}

/** A column-0 cell (`■ …`, `• …`) with its wrapped rest: the column-0 lines below it without a glyph. */
export function cellText(lines: readonly string[], row: number): string {
  const parts = [(lines[row] ?? '').trim()];
  for (let next = row + 1; next < lines.length; next++) {
    const line = lines[next] ?? '';
    if (line.trim() === '' || /^\s/.test(line) || /^[•◦■›✔✗⚠]/.test(line)) break;
    parts.push(line.trim());
  }
  return parts.join(' ');
}
