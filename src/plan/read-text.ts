import { isUtf8 } from 'node:buffer';
import { constants, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import { formatBytes } from '../format/bytes.js';
import { Diagnostics, START } from './diagnostics.js';

/**
 * Plans and prompts are hand-written Markdown; anything this big is a mistake (a log or a build
 * artefact named by accident), and refusing it early keeps validation instant.
 */
export const MAX_TEXT_BYTES = 1024 * 1024;

const LONE_CR = /\r(?!\n)/g;

/** Git's own heuristic: a NUL byte in the first 8000 bytes means binary. */
const BINARY_SNIFF_BYTES = 8000;

/**
 * Reads a Markdown file as UTF-8 text, or reports why it cannot be used (missing, a folder,
 * empty, too large, binary, not UTF-8) and returns undefined.
 */
export function readText(file: string, diagnostics: Diagnostics, what: string): string | undefined {
  let fd: number;
  try {
    // Non-blocking, so that a named pipe is refused below instead of waiting for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') diagnostics.error(file, START, `${what} not found`);
    else diagnostics.error(file, START, `cannot read ${what}: ${(error as Error).message}`);
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) {
      diagnostics.error(file, START, `${what} is a folder, not a file`);
      return undefined;
    }
    if (!stat.isFile()) {
      diagnostics.error(file, START, `${what} is not a regular file`);
      return undefined;
    }
    if (stat.size === 0) {
      diagnostics.error(file, START, `${what} is empty`, what === 'plan' ? 'run `ccwave init` for a starter plan' : undefined);
      return undefined;
    }
    if (stat.size > MAX_TEXT_BYTES) {
      diagnostics.error(file, START, `${what} is ${formatBytes(stat.size)}; the limit is ${formatBytes(MAX_TEXT_BYTES)}`, 'is this the right file? plans and prompts are short hand-written Markdown');
      return undefined;
    }
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decode(bytes.subarray(0, read), file, diagnostics, what);
  } finally {
    closeSync(fd);
  }
}

function decode(bytes: Buffer, file: string, diagnostics: Diagnostics, what: string): string | undefined {
  const nul = bytes.subarray(0, BINARY_SNIFF_BYTES).indexOf(0);
  if (nul !== -1) {
    diagnostics.error(file, positionOfByte(bytes, nul), `${what} is a binary file, not Markdown text`);
    return undefined;
  }
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    diagnostics.error(file, positionOfByte(bytes, bad), `${what} is not valid UTF-8`, 'save the file as UTF-8');
    return undefined;
  }
  const text = bytes.toString('utf8');
  // A lone CR ends a line for Markdown and for editors but not for the YAML or line-scan parsers:
  // one line ending for all keeps settings from hiding in a comment and positions on real lines.
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(LONE_CR, '\n');
  if (body.trim() === '') {
    diagnostics.error(file, START, `${what} has nothing but white space`);
    return undefined;
  }
  return body;
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    for (let k = 1; k < length; k++) {
      if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    }
    i += length;
  }
  // Well-formed by shape but rejected for an overlong form or a surrogate: point at the start.
  return 0;
}

/** Line and column (in bytes, 1-based) of a byte offset; good enough to find a bad byte. */
function positionOfByte(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
