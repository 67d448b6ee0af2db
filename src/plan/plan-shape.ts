import { formatBytes } from '../format/bytes.js';
import { Diagnostics, type Position } from './diagnostics.js';

/**
 * Limits on WAVES.md checked before the Markdown parser sees it. The parser is about 1 MB/s on
 * ordinary text but quadratic on some shapes: a paragraph of thousands of unclosed `[a](`, lists
 * or quotes nested hundreds deep. A plan of 1,000 tasks is under 100 KB with a few thousand marks
 * and a few levels of nesting, so these limits only refuse files that are not hand-written plans,
 * and keep `ccwave validate` within seconds whatever the file holds.
 */
export const MAX_PLAN_BYTES = 256 * 1024;
/** Characters that open links, emphasis, code spans and HTML: the parser's costly delimiters. */
export const MAX_MARKUP_MARKS = 20_000;
/** Leading white space and `>` of one line, in columns: nesting about 60 levels deep. */
export const MAX_INDENT_COLUMNS = 128;

const MARKS = /[[(*_`<]/g;
const TAB_WIDTH = 4;

/** Reports the first limit `text` breaks; returns false when the plan must not be parsed. */
export function checkPlanShape(text: string, file: string, diagnostics: Diagnostics): boolean {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_PLAN_BYTES) {
    diagnostics.error(
      file,
      { line: 1, column: 1 },
      `the plan is ${formatBytes(bytes)}; the limit is ${formatBytes(MAX_PLAN_BYTES)}`,
      'is this the right file? a plan lists tasks; their specs go in PROMPT.md files',
    );
    return false;
  }
  let marks = 0;
  for (const match of text.matchAll(MARKS)) {
    if (++marks > MAX_MARKUP_MARKS) {
      diagnostics.error(
        file,
        positionAt(text, match.index),
        `the plan has more than ${MAX_MARKUP_MARKS} Markdown marks (\`[\`, \`(\`, \`*\`, \`_\`, \`\`\`, \`<\`)`,
        'is this the right file? a plan lists tasks; their specs go in PROMPT.md files',
      );
      return false;
    }
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const columns = indentColumns(lines[i]!);
    if (columns > MAX_INDENT_COLUMNS && lines[i]!.trim() !== '') {
      diagnostics.error(file, { line: i + 1, column: 1 }, `line is nested or indented more than ${MAX_INDENT_COLUMNS} columns deep`, "a plan's lists are one level deep: `- feature-001-login`");
      return false;
    }
  }
  return true;
}

function indentColumns(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === ' ' || char === '>') columns += 1;
    else if (char === '\t') columns += TAB_WIDTH - (columns % TAB_WIDTH);
    else break;
    if (columns > MAX_INDENT_COLUMNS) break;
  }
  return columns;
}

function positionAt(text: string, offset: number): Position {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return { line, column: offset - lineStart + 1 };
}
