/**
 * Characters a terminal or a text viewer acts on instead of showing: C0 controls but newline and
 * tab, DEL, the C1 range (0x9b is a one-byte CSI, 0x9d an OSC) and the bidirectional overrides
 * and isolates that make text read differently from what it is. Agent output, commit subjects and
 * file names are hostile input: none of these may reach a terminal or a committed document.
 */
export const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** Each control character as a visible escape (`\x1b`, `\u202e`): the text stays honest and inert. */
export function visibleControls(text: string): string {
  return text.replace(CONTROL_CHARS, (char) => {
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** For one line of a terminal: also newlines and tabs made visible (a path can hold them). */
export function inlineText(text: string): string {
  return visibleControls(text).replaceAll('\n', '\\n').replaceAll('\t', '\\t');
}
