import { CONTROL_CHARS } from '../../control-chars.js';

/**
 * Plain-text column helpers for the reporters and the summary. They count code points, which is
 * right for the ASCII ids, states and times these columns hold; the Ink TUI measures with Ink.
 */
const ELLIPSIS = '…';

export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return chars.slice(0, width - 1).join('') + ELLIPSIS;
}

export function padEnd(text: string, width: number): string {
  const t = truncate(text, width);
  return t + ' '.repeat(width - [...t].length);
}

export function padStart(text: string, width: number): string {
  const t = truncate(text, width);
  return ' '.repeat(width - [...t].length) + t;
}

/** The first line of a possibly multi-line message, as plain text. */
export function oneLine(text: string): string {
  return plainText(text.split(/\r?\n/).find((line) => line.trim() !== '') ?? '').trim();
}

/** Agent and test output can carry colours and cursor moves; a log line must not replay them. */
export function plainText(line: string): string {
  return line
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(CONTROL_CHARS, '');
}
