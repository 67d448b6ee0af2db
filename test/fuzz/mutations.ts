import fc from 'fast-check';
import { FEATURES_DIR, generatedPlan, type PlanCase } from './plan-seeds.js';

/** Alias bomb: each level lists the previous one ten times; expanded, it is 10^levels strings. */
function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `l${i}: &l${i} [${Array(10)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
}

/** Characters that trip up text handling: control and format characters, surrogates, line ends. */
export const ODD_CHARACTERS = [
  '\0',
  '\uFEFF',
  '\r',
  '\r\n',
  '\n',
  '\t',
  '\v',
  '\f',
  '\x1b[31m',
  '\uD800',
  '\uDC00',
  '\u202E',
  '\u200F',
  '\u200B',
  '\u2028',
  '\u2029',
  '\u0085',
  '\u00A0',
  'é',
  'e\u0301',
  '𝔘',
  '🌊',
  '中文',
  '\\',
  '"',
  "'",
  '`',
  '%',
  '%00',
  '&',
  '*',
  '!',
  '|',
  '>',
  '#',
];

/** YAML that is odd, hostile, or of the wrong shape for settings. */
export const YAML_SNIPPETS = [
  aliasBomb(3),
  aliasBomb(6),
  'a: &a [1, 2]\nb: *a',
  'concurrency: &c 2\nretries: *c',
  'merge: &m {gate: each}\nretro: *m',
  '<<: {concurrency: 2}',
  'x: *undefined',
  'concurrency: !!js/function "function () {}"',
  'test: !!binary aGVsbG8=',
  'copy: !!set {a, b}',
  'copy: !!omap [a: 1]',
  'agent: !custom thing',
  'concurrency: !!str 2',
  'concurrency: !!float 2',
  'land: !!int 1',
  '%YAML 1.2\n---\nconcurrency: 2',
  '--- !!map\nbase: main',
  `deep: ${'['.repeat(5000)}${']'.repeat(5000)}`,
  `deep: ${'{a: '.repeat(2000)}1${'}'.repeat(2000)}`,
  Array.from({ length: 300 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n'),
  'concurrency: 1e400',
  'concurrency: 99999999999999999999999',
  'concurrency: -0',
  'concurrency: .inf',
  'concurrency: .nan',
  'concurrency: 0x10',
  'concurrency: 2.5',
  'retries: 1e1',
  'timeout: 99999999999999h',
  'timeout: 0s',
  'timeout: -5m',
  'timeout: 1e400',
  'timeout: 1h1h',
  'timeout: ""',
  'concurrency: 2\nconcurrency: 3',
  'base: main\nbase: dev',
  '? [a, b]\n: c',
  '{[1]: 2}',
  '1: one',
  'null: x',
  'true: x',
  '~: x',
  '? !!null\n: x',
  'merge: [each]',
  'merge: each',
  'merge: {gate: [each]}',
  'merge: {gate: each, gate: batch}',
  'retro: {dir: [a]}',
  'retro: yes',
  'retro: null',
  'agent: {kind: command}',
  'agent: {kind: claude, command: []}',
  'agent: []',
  'agent: [""]',
  'agent: [1, 2]',
  'agent: {}',
  'agent: null',
  'allowedTools: Edit',
  'allowedTools: [Edit, [Bash]]',
  'allowedTools: [-rf]',
  'model: --dangerously-skip-permissions',
  'copy: /etc/passwd',
  'copy: [../../etc/passwd, /etc/shadow]',
  'features: ../../..',
  'features: /',
  'features: "\\0"',
  'worktrees: /dev/null',
  'base: "-x"',
  'base: ..',
  'base: "main~1"',
  '- a\n- b',
  'just a string',
  '42',
  '',
  '   ',
  '#only a comment',
  '[unclosed',
  '{unclosed',
  '"unclosed',
  "'unclosed",
  'key: "bad \\escape"',
  'a: b: c',
  '\tconcurrency: 2',
  'concurrency:2',
  '- - -',
  ': x',
  '? x',
  '&anchor',
  '*alias',
  '!tag',
  '|\n  block',
  '>-\n  folded',
];

/** Markdown that is odd for a plan or a prompt. */
export const MARKDOWN_SNIPPETS = [
  '## Wave 1',
  '## Wave',
  '## wave 99: x',
  '##',
  '#',
  '# ',
  '## ',
  '###### Wave 1',
  'Wave 1\n======',
  'Wave 2\n------',
  '## Wave 1 ##',
  '##Wave 1',
  '- ',
  '-',
  '*',
  '+ x',
  '1. feature-001',
  '1) feature-001',
  '- [ ]',
  '- [x] ',
  '- [ ] feature-001 — title',
  '- `feature-001`',
  '- **feature-001**',
  '- *feature-001*',
  '- ~~feature-001~~',
  '- <feature-001>',
  '- feature-001: title: more',
  '- — title only',
  '- :',
  '- ./feature-001',
  '- ../x',
  '- a/b',
  '- /abs',
  '- feature-001/..',
  '- feature-001\\x',
  '- -rf',
  '- --help',
  '- .git',
  '- HEAD',
  '- x.lock',
  '- feature-001.',
  '- a..b',
  '- 中文',
  '- é',
  '- feature-001\u202E',
  '- \u200Bfeature-001',
  '- [t](../../../../etc/passwd)',
  '- [t](/etc/passwd)',
  '- [t](/)',
  '- [t](.)',
  '- [t](..)',
  '- [t](<../x y>)',
  '- [t](%ZZ)',
  '- [t](%2e%2e/%2e%2e/x)',
  '- [t](javascript:alert(1))',
  '- [t](file:///etc/passwd)',
  '- [t](#frag)',
  '- [t]()',
  '- [](x)',
  '- [t](C:\\x)',
  '- [t](\\\\server\\share)',
  '- [t](feature-management/features)',
  '- [t](feature-management/features/)',
  '- [t](WAVES.md)',
  '- [t][ref]',
  '[ref]: ../../x',
  '- ![img](x.png)',
  '- <a href="x">x</a>',
  '<div>\n- feature-001\n</div>',
  '<!-- - feature-001 -->',
  '```',
  '~~~',
  '```\n- feature-001',
  '    - indented code',
  '  - nested\n    - deeper\n      - deepest',
  '> - quoted',
  '>'.repeat(3000) + ' x',
  Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i)}- n${i}`).join('\n'),
  '| a | b |\n|---|---|\n| - x | y |',
  '---',
  '...',
  '***',
  '- - - x',
  '- [ ] ' + 'x'.repeat(5000),
  'x'.repeat(200_000),
  '\\- feature-001',
  '&#45; feature-001',
  '- feature-001\\\n  continued',
  '- feature-001  \n  more',
  '## Dependencies\n- Requires: feature-001',
  '## Dependencies\nRequires: ../x, /abs, -rf',
  '## Acceptance Criteria',
  '## Acceptance Criteria\n- [ ]',
  'Requires: feature-001-slugify, feature-002-word-stats',
  'Requires: feature-004-usage-docs',
  'Requires: f1-alpha',
  'Requires: ' + 'x,'.repeat(2000),
  '# Feature:',
  '# Feature: ' + '🌊'.repeat(100),
  '---\nconcurrency: 2\n---',
  // Floods: huge lists of dependencies, criteria and tasks.
  '## Dependencies\nRequires: ' + 'x, '.repeat(100_000),
  '## Acceptance Criteria\n' + '- [ ] c\n'.repeat(100_000),
  '- t\n'.repeat(10_000),
];

export const SNIPPETS = [...ODD_CHARACTERS, ...YAML_SNIPPETS, ...MARKDOWN_SNIPPETS];

/** Feature folder names a user could create: odd but legal file names. */
export const ODD_FOLDER_NAMES = [
  'feature with space',
  'ünïcode',
  '-rf',
  '--help',
  '.hidden',
  'x.lock',
  'x..y',
  'trailing.',
  '中文',
  'CON',
  'a\\b',
  'a:b',
  '#hash',
  '[bracket]',
  'x'.repeat(200),
  'feature-001',
  'feature-001-slugify-2',
  'f\u202Eevil',
  'tab\there',
  'new\nline',
  'emoji🌊',
  '..x',
  'HEAD',
  '@',
];

export type Mutation =
  | { op: 'insert'; file: number; at: number; snippet: number }
  | { op: 'insert-line'; file: number; at: number; snippet: number }
  | { op: 'front-matter'; file: number; snippet: number }
  | { op: 'delete'; file: number; at: number; length: number }
  | { op: 'duplicate'; file: number; at: number; length: number }
  | { op: 'delete-lines'; file: number; at: number; count: number }
  | { op: 'duplicate-line'; file: number; at: number; times: number }
  | { op: 'swap-lines'; file: number; at: number; other: number }
  | { op: 'truncate'; file: number; at: number }
  | { op: 'replace-char'; file: number; at: number; char: number }
  | { op: 'line-endings'; file: number; ending: '\r\n' | '\r' | '\u2028' }
  | { op: 'requires'; file: number; target: number }
  | { op: 'rename-feature'; file: number; name: number }
  | { op: 'new-feature'; name: number; snippet: number }
  | { op: 'delete-file'; file: number }
  | { op: 'bytes'; file: number; at: number; bytes: number[] };

/** Positions are drawn as a fraction of the text, so the same mutation fits any file. */
const SCALE = 1_000_000;
const at = fc.integer({ min: 0, max: SCALE });
const file = fc.nat(50);
const snippet = fc.nat(SNIPPETS.length - 1);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), file, at, snippet }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert-line' as const), file, at, snippet }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('front-matter' as const), file, snippet: fc.nat(YAML_SNIPPETS.length - 1) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), file, at, length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), file, at, length: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete-lines' as const), file, at, count: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate-line' as const), file, at, times: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('swap-lines' as const), file, at, other: at }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), file, at }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('replace-char' as const), file, at, char: fc.nat(ODD_CHARACTERS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('line-endings' as const), file, ending: fc.constantFrom('\r\n' as const, '\r' as const, '\u2028' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('requires' as const), file, target: file }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename-feature' as const), file, name: fc.nat(ODD_FOLDER_NAMES.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('new-feature' as const), name: fc.nat(ODD_FOLDER_NAMES.length - 1), snippet }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete-file' as const), file }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('bytes' as const), file, at, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }) }) },
);

/** A case as files on disk: raw bytes, so that invalid UTF-8 can be written. */
export interface MutatedCase {
  plan: string;
  files: Record<string, Buffer>;
}

const place = (fraction: number, length: number): number => Math.floor((fraction / SCALE) * length);

function lineAt(text: string, fraction: number): { lines: string[]; index: number } {
  const lines = text.split('\n');
  return { lines, index: Math.min(lines.length - 1, place(fraction, lines.length)) };
}

function withFrontMatter(text: string, yaml: string): string {
  const match = /^---\r?\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  return `---\n${yaml}\n---\n${match ? text.slice(match[0].length) : text}`;
}

/** The Markdown files of a case, in a stable order: the plan first, then the prompts. */
function targets(files: Record<string, string | Buffer>, plan: string): string[] {
  return [
    plan,
    ...Object.keys(files)
      .filter((f) => f !== plan)
      .sort(),
  ];
}

/** Applies the mutations in order; text mutations first, then the raw-byte ones. */
export function applyMutations(seed: PlanCase, mutations: readonly Mutation[]): MutatedCase {
  const files: Record<string, string> = { ...seed.files };
  const pick = (n: number): string | undefined => {
    const names = targets(files, seed.plan);
    return names[n % names.length];
  };
  for (const m of mutations) {
    if (m.op === 'bytes') continue;
    if (m.op === 'new-feature') {
      files[`${FEATURES_DIR}/${ODD_FOLDER_NAMES[m.name]}/PROMPT.md`] = `# Feature: odd\n\n${SNIPPETS[m.snippet]}\n\n## Acceptance Criteria\n- [ ] x\n`;
      const name = ODD_FOLDER_NAMES[m.name]!;
      files[seed.plan] = `${files[seed.plan] ?? ''}\n- ${name}\n`;
      continue;
    }
    const name = pick(m.file);
    if (name === undefined) continue;
    const text = files[name] ?? '';
    switch (m.op) {
      case 'insert': {
        const i = place(m.at, text.length);
        files[name] = text.slice(0, i) + SNIPPETS[m.snippet] + text.slice(i);
        break;
      }
      case 'insert-line': {
        const { lines, index } = lineAt(text, m.at);
        lines.splice(index, 0, SNIPPETS[m.snippet]!);
        files[name] = lines.join('\n');
        break;
      }
      case 'front-matter':
        files[name] = withFrontMatter(text, YAML_SNIPPETS[m.snippet]!);
        break;
      case 'delete': {
        const i = place(m.at, text.length);
        files[name] = text.slice(0, i) + text.slice(i + m.length);
        break;
      }
      case 'duplicate': {
        const i = place(m.at, text.length);
        files[name] = text.slice(0, i + m.length) + text.slice(i);
        break;
      }
      case 'delete-lines': {
        const { lines, index } = lineAt(text, m.at);
        lines.splice(index, m.count);
        files[name] = lines.join('\n');
        break;
      }
      case 'duplicate-line': {
        const { lines, index } = lineAt(text, m.at);
        lines.splice(index, 0, ...Array(m.times).fill(lines[index]));
        files[name] = lines.join('\n');
        break;
      }
      case 'swap-lines': {
        const { lines, index } = lineAt(text, m.at);
        const other = Math.min(lines.length - 1, place(m.other, lines.length));
        [lines[index], lines[other]] = [lines[other]!, lines[index]!];
        files[name] = lines.join('\n');
        break;
      }
      case 'truncate':
        files[name] = text.slice(0, place(m.at, text.length));
        break;
      case 'replace-char': {
        const i = place(m.at, text.length);
        files[name] = text.slice(0, i) + ODD_CHARACTERS[m.char] + text.slice(i + 1);
        break;
      }
      case 'line-endings':
        files[name] = text.replaceAll('\n', m.ending);
        break;
      case 'requires': {
        // Points one feature at another (possibly itself or a later one): cycles and order errors.
        const target = pick(m.target)!;
        const id = target.split('/').at(-2) ?? target;
        files[name] = `${text}\n## Dependencies\n- Requires: ${id}\n`;
        break;
      }
      case 'rename-feature': {
        if (name === seed.plan || !name.startsWith(`${FEATURES_DIR}/`)) break;
        const renamed = `${FEATURES_DIR}/${ODD_FOLDER_NAMES[m.name]}/PROMPT.md`;
        delete files[name];
        files[renamed] = text;
        break;
      }
      case 'delete-file':
        if (name !== seed.plan) delete files[name];
        break;
    }
  }
  const bytes: Record<string, Buffer> = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, Buffer.from(text, 'utf8')]));
  for (const m of mutations) {
    if (m.op !== 'bytes') continue;
    const name = targets(bytes, seed.plan)[m.file % Object.keys(bytes).length]!;
    const buffer = bytes[name]!;
    const i = place(m.at, buffer.length);
    bytes[name] = Buffer.concat([buffer.subarray(0, i), Buffer.from(m.bytes), buffer.subarray(i)]);
  }
  return { plan: seed.plan, files: bytes };
}

/** A seed (from disk or generated) and a short list of mutations applied to it. */
export function mutatedCase(seeds: readonly PlanCase[], maxMutations = 4, huge = false): fc.Arbitrary<MutatedCase> {
  const seed = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...seeds) },
    { weight: 4, arbitrary: generatedPlan() },
    // Up to 300 tasks in 10 waves: slow to write, so only in the full run.
    ...(huge ? [{ weight: 1, arbitrary: generatedPlan(10, 30) }] : []),
  );
  return fc.tuple(seed, fc.array(mutation, { minLength: 1, maxLength: maxMutations })).map(([s, ms]) => applyMutations(s, ms));
}
