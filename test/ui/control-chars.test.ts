import { describe, expect, it } from 'vitest';
import { inlineText, visibleControls } from '../../src/control-chars.js';
import { oneLine, plainText } from '../../src/ui/format/text.js';

describe('text from agents on a terminal', () => {
  it.each([
    ['CSI colour', 'a\x1b[31mred\x1b[0m', 'ared'],
    ['OSC clipboard', 'a\x1b]52;c;aGk=\x07b', 'a]52;c;aGk=b'],
    ['8-bit CSI and OSC', 'a\u009b2Jb\u009d0;t\u009c', 'a2Jb0;t'],
    ['bidi override and isolate', 'a\u202eevil\u202c\u2066x\u2069', 'aevilx'],
    ['carriage return and bell', 'done\rFAKE\x07', 'doneFAKE'],
  ])('plainText drops %s', (_name, input, expected) => {
    expect(plainText(input)).toBe(expected);
    expect(oneLine(input)).toBe(expected);
  });

  it('visibleControls and inlineText show every control as an escape, keeping the rest', () => {
    expect(visibleControls('a\x1bb\u202ec\u009bd\ne\tf')).toBe('a\\x1bb\\u202ec\\x9bd\ne\tf');
    expect(inlineText('dir/odd\nname\t.md')).toBe('dir/odd\\nname\\t.md');
    expect(inlineText('plain ünïcode ✓')).toBe('plain ünïcode ✓');
  });
});
