/** Key sequences as a terminal sends them to the program in the PTY. */
export const KEYS = {
  enter: '\r',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  ctrlC: '\x03',
  ctrlD: '\x04',
} as const;

export type KeyName = keyof typeof KEYS;
