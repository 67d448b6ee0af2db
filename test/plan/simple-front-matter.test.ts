import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument } from 'yaml';
import { readSimpleFrontMatter } from '../../src/plan/front-matter.js';

const key = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('timeout', 'agent', 'model', 'retries', 'idle-timeout', 'commit_policy', 'constructor', 'toString', 'x') },
  { weight: 1, arbitrary: fc.constantFrom('true', 'True', 'false', 'null', 'NULL', '1', '0x1', 'a b', '-x', '"x"', 'x:') },
);
const value = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '20m',
      '1h30m',
      'claude',
      'opus',
      'src/app.js',
      './x',
      'a-b_c.d',
      '0',
      '3',
      '42',
      '123456789012345',
      'true',
      'false',
      'yes',
      'no',
      'on',
      'y',
      'NaN',
      'infinity',
      'npm test',
      'npm run lint -- --fix',
      'true false',
      '1 2',
      'null x',
      'a - b',
    ),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '1e3',
      '1E3',
      '1.5',
      '1.',
      '.5',
      '0x1F',
      '0o17',
      '007',
      '1_000',
      '0b101',
      '+1',
      '-1',
      'True',
      'TRUE',
      'False',
      'null',
      'Null',
      '~',
      '',
      "'x'",
      '"x"',
      'x #c',
      '[a]',
      '{a: 1}',
      '*a',
      '&a x',
      '!!str 1',
      '|',
      '>',
      'a: b',
      'x ',
      '1234567890123456789',
      'a  b',
      'a b ',
      ' a',
      'a\tb',
      'a #b',
      'a:b c',
      '- a',
      'a, b',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const line = fc.oneof(
  { weight: 8, arbitrary: fc.tuple(key, value).map(([k, v]) => `${k}: ${v}`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '# c', '  x: 1', 'x:1', '\tx: 1', 'x:  1', '---') },
);

describe('front matter of plain `key: value` lines, read without the YAML parser', () => {
  it('reads what the parser reads, keys at the same offsets, whenever it reads anything', () => {
    let read = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        const text = lines.join('\n');
        const simple = readSimpleFrontMatter(text);
        if (!simple) return;
        read += 1;
        const doc = parseDocument(text, { uniqueKeys: true });
        expect(doc.errors).toEqual([]);
        expect(simple.value).toEqual(doc.toJS() ?? {});
        const offsets: Record<string, number> = {};
        if (isMap(doc.contents)) for (const item of doc.contents.items) if (isScalar(item.key) && item.key.range) offsets[String(item.key.value)] = item.key.range[0];
        expect(simple.keyOffsets).toEqual(offsets);
      }),
      { numRuns: 3000 },
    );
    // The property says something only if the reader took a fair share of the cases.
    expect(read).toBeGreaterThan(300);
  });

  it('leaves anything unusual to the parser', () => {
    for (const text of ['timeout: 1e3', 'x: True', 'x: 007', 'true: x', 'x: 1\nx: 2', 'x: a #c', 'x: [a]', 'x:  1', ' x: 1', 'x: 1234567890123456789', 'test: npm  test', 'test: npm test ']) {
      expect(readSimpleFrontMatter(text), text).toBeUndefined();
    }
    expect(readSimpleFrontMatter('timeout: 20m\n\nretries: 2\nsandbox: true\ntest: npm test\n')).toEqual({
      value: { timeout: '20m', retries: 2, sandbox: true, test: 'npm test' },
      keyOffsets: { timeout: 0, retries: 14, sandbox: 25, test: 39 },
    });
  });
});
