/**
 * Where things are on a Claude Code screen. 2.1.x draws the input box as a `❯` line between two
 * `────` rules, with a footer below; older versions draw `│ > ` inside a rounded `╭─╮` box. The
 * user's own messages are echoed in the transcript as `❯ text` (older: `> text`).
 */
export interface ClaudeScreen {
  readonly lines: readonly string[];
  /** The input box, when one is drawn (dialogs replace it). */
  readonly inputBox: { row: number; text: string } | undefined;
  /** Transcript lines after the last echoed user message, above the input box: this turn's output. */
  readonly recent: readonly string[];
  /** Lines below the input box (mode, hints, "esc to interrupt"). */
  readonly footer: readonly string[];
}

const RULE = /^\s*[─╭╰]─{10,}/;
/** Lines the agent itself draws: `●` messages, `⎿` results, spinner and status lines. */
const AGENT_LINE = /^\s*(?:●|⎿|[·✢✳✶✻✽*]\s)/;
const INPUT_LINE = /^\s*[❯>](?:\s(.*))?$/;

export function readClaudeScreen(raw: readonly string[]): ClaudeScreen {
  // Older versions draw dialogs and the input box inside `│ … │`: drop the borders.
  const lines = raw.map((l) => l.replace(/^(\s*)│ ?/, '$1').replace(/\s*│\s*$/, ''));
  const inputRow = findInputRow(lines);
  const end = inputRow === undefined ? lines.length : inputRow - 1;
  let start = 0;
  for (let row = end - 1; row >= 0; row--) {
    if (isEchoedPrompt(lines[row] ?? '')) {
      start = row + 1;
      break;
    }
  }
  // The echoed message may run over several lines (a task prompt can quote any text): this turn's
  // output starts at the agent's first own line.
  const own = lines.slice(start, end).findIndex((l) => AGENT_LINE.test(l));
  start = own < 0 ? end : start + own;
  const footerStart = inputRow === undefined ? lines.length : nextRule(lines, inputRow) + 1;
  return {
    lines,
    inputBox: inputRow === undefined ? undefined : { row: inputRow, text: (INPUT_LINE.exec(lines[inputRow] ?? '')?.[1] ?? '').trim() },
    recent: lines.slice(start, Math.max(start, end)),
    footer: lines.slice(footerStart),
  };
}

/** The lowest `❯` line directly under a rule. */
function findInputRow(lines: readonly string[]): number | undefined {
  for (let row = lines.length - 1; row > 0; row--) {
    if (INPUT_LINE.test(lines[row] ?? '') && RULE.test(lines[row - 1] ?? '')) return row;
  }
  return undefined;
}

function nextRule(lines: readonly string[], from: number): number {
  for (let row = from + 1; row < lines.length; row++) if (RULE.test(lines[row] ?? '')) return row;
  return from;
}

function isEchoedPrompt(line: string): boolean {
  return /^[❯>] \S/.test(line);
}
