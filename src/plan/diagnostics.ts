import path from 'node:path';

export type Severity = 'error' | 'warning';

/** One problem found in a plan, pointing at the exact place to fix. */
export interface Diagnostic {
  severity: Severity;
  /** Absolute path of the file the problem is in. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
  hint?: string;
}

export interface Position {
  line: number;
  column: number;
}

export const START: Position = { line: 1, column: 1 };

/** Collects every problem instead of stopping at the first, so the user fixes them in one pass. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];

  error(file: string, at: Position, message: string, hint?: string): void {
    this.items.push({ severity: 'error', file, line: at.line, column: at.column, message, ...(hint ? { hint } : {}) });
  }

  warning(file: string, at: Position, message: string, hint?: string): void {
    this.items.push({ severity: 'warning', file, line: at.line, column: at.column, message, ...(hint ? { hint } : {}) });
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }

  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  }
}

/** `file:line:col: error: message` with the hint on its own line, paths relative to `cwd`. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  const file = displayPath(d.file, cwd);
  const head = escapeControls(`${file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
  return d.hint ? `${head}\n  hint: ${escapeControls(d.hint)}` : head;
}

/** Line breaks and escape sequences from names in the repository, made visible: one problem, one line. */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g;

function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

export function displayPath(file: string, cwd = process.cwd()): string {
  const relative = path.relative(cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
