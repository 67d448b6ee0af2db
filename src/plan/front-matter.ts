import { createRequire } from 'node:module';
import type { Document } from 'yaml';
import type { z } from 'zod';
import type { ValueProblem } from './confined-values.js';
import { Diagnostics, type Position } from './diagnostics.js';
import { EXPECTED, PLANNING_KEYS, RUN_ONLY_KEYS } from './settings-schema.js';
import { nearest } from './suggest.js';

/**
 * The YAML library, loaded when first needed: front matter of plain lines never needs it, and
 * loading it was a tenth of what `validate` takes.
 */
const loadYaml = (() => {
  let yaml: typeof import('yaml') | undefined;
  return () => (yaml ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
})();

export interface FrontMatterSource {
  file: string;
  /** The YAML text between the `---` lines. */
  text: string;
  /** File line of the YAML's first line. */
  firstLine: number;
  /** `plan` for WAVES.md, `prompt` for a PROMPT.md: decides which keys are allowed. */
  kind: 'plan' | 'prompt';
}

type Path = ReadonlyArray<PropertyKey>;

/** Typed settings, and where each top-level key is written (for problems found later). */
export interface ParsedFrontMatter<T> {
  settings: T;
  keyAt: Record<string, Position>;
}

/**
 * Parses YAML front matter and checks it against `schema`, reporting every problem at its own
 * line and column. Returns the typed settings, or undefined when anything is wrong.
 */
export function parseFrontMatter<S extends z.ZodType>(
  source: FrontMatterSource,
  schema: S,
  diagnostics: Diagnostics,
  /** Checks beyond the schema (that need the repository, say), run on the raw values. */
  check: (raw: unknown) => ValueProblem[] = () => [],
): ParsedFrontMatter<z.output<S>> | undefined {
  const at = positionIn(source);
  const simple = readSimpleFrontMatter(source.text);
  if (simple && check(simple.value).length === 0) {
    const result = schema.safeParse(simple.value);
    if (result.success) return { settings: result.data, keyAt: Object.fromEntries(Object.entries(simple.keyOffsets).map(([key, offset]) => [key, at(offset)])) };
  }
  // Anything else, and anything refused, goes through the parser: problems are reported as always.
  const { parseDocument } = loadYaml();
  const doc = parseDocument(source.text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      diagnostics.error(source.file, at(error.pos[0]), `invalid YAML in front matter: ${firstLine(error.message)}`);
    }
    return undefined;
  }
  const value = toPlainValue(doc);
  if ('tooManyAliases' in value) {
    diagnostics.error(source.file, at(value.tooManyAliases), 'front matter expands its aliases (`*name`) too many times', 'write the settings out instead of repeating anchors');
    return undefined;
  }
  if (typeof value.ok !== 'object' || Array.isArray(value.ok)) {
    diagnostics.error(source.file, at(doc.contents?.range?.[0] ?? 0), 'front matter must be a map of settings, like `concurrency: 2`');
    return undefined;
  }
  const withNul = nulStrings(value.ok);
  for (const path of withNul) {
    diagnostics.error(source.file, at(valueOffset(doc, path)), `\`${dotted(path)}\` contains a NUL character`, 'remove the `\\0`: no path or command can hold one');
  }
  if (withNul.length > 0) return undefined;
  const problems = check(value.ok);
  for (const problem of problems) diagnostics.error(source.file, at(valueOffset(doc, problem.path)), problem.message, problem.hint);
  const result = schema.safeParse(value.ok);
  if (result.success && problems.length === 0) return { settings: result.data, keyAt: keyPositions(doc, at) };
  for (const issue of result.error?.issues ?? []) {
    report(issue, doc, source, at, diagnostics);
  }
  return undefined;
}

/** `key: value` with a value of words (paths, whole numbers, durations like `20m`) between single spaces. */
const SIMPLE_LINE = /^([A-Za-z][A-Za-z0-9_-]*): ([A-Za-z0-9][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*)$/;
/** Plain scalars YAML 1.2 reads as something other than a string or a whole number (`1e3`, `0x1F`, `0o7`, `1.5`, `True`, `null`...). */
const NOT_PLAIN = /^(?:[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|null|Null|NULL|True|TRUE|False|FALSE)$/;

/**
 * Front matter of nothing but `key: value` lines whose values read the same in any YAML reader
 * (words, paths, whole numbers, durations, true and false), as most PROMPT.md files have, read
 * without the YAML parser: parsing was most of the time `validate` spends per task. Undefined for
 * anything else. A property test holds it to the parser.
 */
export function readSimpleFrontMatter(text: string): { value: Record<string, string | number | boolean>; keyOffsets: Record<string, number> } | undefined {
  const value: Record<string, string | number | boolean> = {};
  const keyOffsets: Record<string, number> = {};
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    if (line === '') continue;
    const match = SIMPLE_LINE.exec(line);
    if (!match) return undefined;
    const [, key, raw] = match as unknown as [string, string, string];
    // A key YAML reads as true, false or null, or a second one, is the parser's to judge.
    if (Object.hasOwn(value, key) || NOT_PLAIN.test(key) || key === 'true' || key === 'false') return undefined;
    if (raw === 'true' || raw === 'false') value[key] = raw === 'true';
    else if (/^(?:0|[1-9][0-9]{0,14})$/.test(raw)) value[key] = Number(raw);
    else if (NOT_PLAIN.test(raw)) return undefined;
    else value[key] = raw;
    keyOffsets[key] = start;
  }
  return { value, keyOffsets };
}

/**
 * File positions of offsets in the YAML text. Counted here rather than by the yaml library's
 * LineCounter, which stops counting lines where the parser gave up and then puts an error at the
 * end of the text far past the end of a line.
 */
function positionIn(source: FrontMatterSource): (offset: number) => Position {
  const starts = [0];
  for (let i = source.text.indexOf('\n'); i !== -1; i = source.text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    const clamped = Math.max(0, Math.min(offset, source.text.length));
    let line = starts.length - 1;
    while (starts[line]! > clamped) line--;
    return { line: source.firstLine + line, column: clamped - starts[line]! + 1 };
  };
}

/**
 * The document as plain data. The yaml library refuses to expand an alias bomb (a few lines that
 * would become millions of values) by throwing; that is bad input, reported at the first alias.
 */
function toPlainValue(doc: Document): { ok: unknown } | { tooManyAliases: number } {
  try {
    return { ok: doc.toJS() ?? {} };
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let offset = 0;
    const { visit } = loadYaml();
    visit(doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    return { tooManyAliases: offset };
  }
}

function report(issue: z.core.$ZodIssue, doc: Document, source: FrontMatterSource, at: (offset: number) => Position, diagnostics: Diagnostics): void {
  const key = dotted(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const valid = validKeysAt(issue.path, source.kind);
    for (const unknown of issue.keys) {
      const name = key ? `${key}.${unknown}` : unknown;
      const position = at(keyOffset(doc, issue.path, unknown));
      if (source.kind === 'prompt' && issue.path.length === 0 && RUN_ONLY_KEYS.includes(unknown)) {
        diagnostics.error(source.file, position, `\`${unknown}\` is a run setting and cannot be set per task`, 'set it in the front matter of WAVES.md');
        continue;
      }
      const guess = nearest(unknown, valid);
      diagnostics.error(source.file, position, `unknown setting \`${name}\``, guess ? `did you mean \`${guess}\`?` : `valid ${key ? `keys of \`${key}\`` : 'settings'}: ${valid.join(', ')}`);
    }
    return;
  }
  const position = at(valueOffset(doc, issue.path));
  const expected = EXPECTED[key.replace(/\.\d+/g, '')] ?? 'a different value';
  const actual = doc.getIn(issue.path as Path & unknown[]);
  if (issue.code === 'custom') {
    diagnostics.error(source.file, position, `\`${key}\`: ${issue.message}`, `expected ${expected}`);
    return;
  }
  if (issue.code === 'invalid_value' && typeof actual === 'string') {
    const guess = nearest(actual, issue.values.map(String));
    diagnostics.error(source.file, position, `\`${key}\` must be ${expected}, not ${describe(actual)}`, guess ? `did you mean \`${guess}\`?` : undefined);
    return;
  }
  diagnostics.error(source.file, position, `\`${key}\` must be ${expected}, not ${describe(actual)}`);
}

/** Paths of the strings that hold a NUL (a YAML escape can write one), which git and spawn refuse. */
function nulStrings(value: unknown, path: PropertyKey[] = []): PropertyKey[][] {
  if (typeof value === 'string') return value.includes('\0') ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => nulStrings(item, [...path, i]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([k, v]) => nulStrings(v, [...path, k]));
  return [];
}

function validKeysAt(path: Path, kind: 'plan' | 'prompt'): string[] {
  const top = dotted(path);
  const nested: Record<string, string[]> = {
    merge: ['gate', 'onConflict'],
    retro: ['dir', 'agent'],
    agent: ['kind', 'command'],
    budget: ['usd', 'tokens'],
    taskBudget: ['usd', 'tokens'],
    notify: ['command', 'webhook', 'events'],
  };
  if (top in nested) return nested[top]!;
  return Object.keys(EXPECTED).filter((k) => !k.includes('.') && (kind === 'plan' ? !PLANNING_KEYS.includes(k) : !RUN_ONLY_KEYS.includes(k)));
}

function keyOffset(doc: Document, mapPath: Path, key: string): number {
  const { isMap, isScalar } = loadYaml();
  const map = mapPath.length === 0 ? doc.contents : doc.getIn(mapPath as unknown[], true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isScalar(pair.key) && String(pair.key.value) === key) return pair.key.range?.[0] ?? 0;
    }
    return map.range?.[0] ?? 0;
  }
  return 0;
}

function keyPositions(doc: Document, at: (offset: number) => Position): Record<string, Position> {
  const { isMap, isScalar } = loadYaml();
  const positions: Record<string, Position> = {};
  if (!isMap(doc.contents)) return positions;
  for (const item of doc.contents.items) {
    const key = item.key as { value?: unknown; range?: [number, number, number] } | null;
    if (isScalar(key) && key.range) positions[String(key.value)] = at(key.range[0]);
  }
  return positions;
}

function valueOffset(doc: Document, path: Path): number {
  for (let depth = path.length; depth > 0; depth--) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return node.range[0];
  }
  return 0;
}

function dotted(path: Path): string {
  return path.map(String).join('.');
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (typeof value === 'string') return `"${value}"`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'a list';
  if (loadYaml().isMap(value)) return 'a map';
  if (typeof value === 'object' && 'items' in value) return 'a list';
  return 'a map';
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
