/** Characters a POSIX shell reads as themselves in an unquoted word. */
const PLAIN_WORD = /^[\w@%+=:,./-]+$/;

/** `text` as one word in a command the user may paste into a shell: quoted only when it must be. */
export function shellWord(text: string): string {
  return PLAIN_WORD.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
