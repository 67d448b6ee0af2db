import { inlineText } from './control-chars.js';

/** Characters no POSIX shell treats specially: a word made only of these is pasted as it is. */
const PLAIN_WORD = /^[A-Za-z0-9_./,:@%+=-]+$/;

/**
 * A path or argument as one shell word, for lines a user copies into a terminal: bare when that
 * is safe, else single-quoted (a space or `$` in a folder name must not split or expand it).
 * Control characters are shown as escapes, never printed.
 */
export function shellWord(text: string): string {
  const shown = inlineText(text);
  return PLAIN_WORD.test(shown) ? shown : `'${shown.replaceAll("'", `'\\''`)}'`;
}
