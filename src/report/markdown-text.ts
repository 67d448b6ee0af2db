/** Small Markdown builders: text from agents and file names must not break the document. */
import { formatDuration } from '../format/duration.js';
import { shortSha } from '../format/sha.js';

/** A measured time in the retrospective's words, or a dash when it was not measured. */
export function durationOrDash(ms: number | undefined): string {
  return ms === undefined ? '—' : formatDuration(ms);
}

/** `2026-11-23 14:45:01 UTC`: always UTC, so the text does not depend on where it was made. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = date.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)} UTC`;
}

/** A commit as inline code, or a dash when there is none. */
export function shaCode(sha: string | undefined): string {
  return sha ? code(shortSha(sha)) : '—';
}

/** Inline code that survives backticks in the text (a fence longer than any run inside). */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block whose fence no line of the content can close early. */
export function fenced(text: string, info = 'text'): string[] {
  const longest = Math.max(0, ...[...text.matchAll(/`{3,}/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...text.split('\n'), fence];
}

/** A quote of someone else's text, every line marked, blank lines kept as paragraph breaks. */
export function blockquote(text: string): string[] {
  return text.split('\n').map((line) => (line.trim() === '' ? '>' : `> ${line.trimEnd()}`));
}

/** One line of prose: newlines from agents would otherwise end a list item or a table row. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => oneLine(cell).replaceAll('|', '\\|') || ' ').join(' | ')} |`;
}

/** `a, b and c`, up to `max` items, then `and N more`. */
export function listOf(items: readonly string[], max = Number.POSITIVE_INFINITY): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}
