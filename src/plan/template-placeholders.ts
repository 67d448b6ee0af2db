import { STARTER_PROMPT } from './templates.js';

/**
 * The lines of the starter PROMPT.md that stand for text the user is meant to write (headings and
 * the "Requires: none" line are real structure and stay).
 */
const PLACEHOLDERS = new Set(
  STARTER_PROMPT.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && line !== '- Requires: none'),
);

/**
 * The first line (1-based) of `text` that is still the starter template's placeholder: a prompt
 * written by `ccwave init` and never edited would send the template's words to the agent as its task.
 */
export function firstPlaceholderLine(text: string): number | undefined {
  const index = text.split('\n').findIndex((line) => PLACEHOLDERS.has(line.trim()));
  return index === -1 ? undefined : index + 1;
}
