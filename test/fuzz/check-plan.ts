import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';
import { loadPlan } from '../../src/plan/load-plan.js';
import { formatDiagnostic, type Diagnostic } from '../../src/plan/diagnostics.js';
import { formatPlan } from '../../src/plan/format-plan.js';
import { planToJson } from '../../src/plan/plan-json.js';
import { isInside } from '../../src/plan/repo-root.js';
import type { MutatedCase } from './mutations.js';

/**
 * A hang guard, not a benchmark: the slowest plans the shape limits let through take seconds on a
 * busy machine; minutes means a parser went quadratic. loadPlan is synchronous, so the bound is
 * checked after it returns (a true hang ends the round at its own timeout).
 */
export const CASE_TIME_LIMIT_MS = 60_000;

/** Writes the case's files into `dir` (made to look like a repository root). */
export function writeCase(dir: string, c: MutatedCase): void {
  mkdirSync(path.join(dir, '.git'), { recursive: true });
  for (const [name, bytes] of Object.entries(c.files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), bytes);
  }
}

/** The case as readable text, for a failure message (long files cut). */
export function describeCase(c: MutatedCase): string {
  const cut = (s: string): string => (s.length > 2000 ? `${s.slice(0, 2000)}… (${s.length} chars)` : s);
  return Object.entries(c.files)
    .map(([name, bytes]) => `--- ${name}\n${JSON.stringify(cut(bytes.toString('utf8')))}`)
    .join('\n');
}

/** Lengths of each line, split at every line end an editor or parser might count. */
function lineLengths(bytes: Buffer): number[][] {
  const text = isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
  const byNewline = text.split('\n').map((l) => Math.max(l.length, Buffer.byteLength(l)));
  const byAnyEnd = text.split(/\r\n|\r|\n/).map((l) => Math.max(l.length, Buffer.byteLength(l)));
  return [byNewline, byAnyEnd];
}

/** Why a diagnostic is not a usable `file:line:col` pointer, or undefined when it is. */
export function diagnosticProblem(d: Diagnostic, root: string, lines = new Map<string, number[][]>()): string | undefined {
  if (typeof d.message !== 'string' || d.message.trim() === '') return 'empty message';
  if (!path.isAbsolute(d.file) || !isInside(root, d.file)) return `file ${d.file} is not a path in the repository`;
  if (!Number.isInteger(d.line) || !Number.isInteger(d.column) || d.line < 1 || d.column < 1) return `bad position ${d.line}:${d.column}`;
  if (!existsSync(d.file) || statSync(d.file).isDirectory()) {
    return d.line === 1 && d.column === 1 ? undefined : `position ${d.line}:${d.column} in a file that does not exist`;
  }
  // Read once per file: a flood of `Requires:` gives a hundred thousand warnings in one file.
  if (!lines.has(d.file)) lines.set(d.file, lineLengths(readFileSync(d.file)));
  const inBounds = lines.get(d.file)!.some((lengths) => d.line <= lengths.length && d.column <= lengths[d.line - 1]! + 1);
  return inBounds ? undefined : `position ${d.line}:${d.column} is outside the file`;
}

/**
 * Loads the case's plan and checks the promises of `ccwave validate`: no exception, every problem
 * located in a real file at a real position, and a valid plan that prints and serialises.
 * Throws (with the case) when a promise is broken.
 */
export function checkPlanCase(dir: string, c: MutatedCase): void {
  writeCase(dir, c);
  try {
    const fail = (why: string): never => {
      // Kept for replay: `ccwave validate <dir>/<plan>` shows the same problem.
      const kept = mkdtempSync(path.join(tmpdir(), 'ccwave-fuzz-failed-'));
      writeCase(kept, c);
      throw new Error(`${why}\ncase kept in ${kept}\n${describeCase(c)}`);
    };
    const started = performance.now();
    let result: ReturnType<typeof loadPlan>;
    try {
      result = loadPlan(path.join(dir, c.plan));
    } catch (error) {
      return fail(`loadPlan threw: ${(error as Error).stack ?? String(error)}`);
    }
    const elapsed = performance.now() - started;
    if (elapsed > CASE_TIME_LIMIT_MS) fail(`loadPlan took ${Math.round(elapsed)} ms`);
    const { plan, diagnostics } = result;
    const lines = new Map<string, number[][]>();
    for (const d of diagnostics) {
      const problem = diagnosticProblem(d, dir, lines);
      if (problem) fail(`unlocated diagnostic (${problem}): ${formatDiagnostic(d, dir)}`);
    }
    if (!plan) {
      if (!diagnostics.some((d) => d.severity === 'error')) fail('no plan and no error');
      return;
    }
    if (diagnostics.some((d) => d.severity === 'error')) fail('a plan despite errors');
    try {
      JSON.stringify(planToJson(plan));
      formatPlan(plan, { cwd: dir });
    } catch (error) {
      fail(`printing the plan threw: ${(error as Error).stack ?? String(error)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
