import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/doctor/check.js';
import { formatResults } from '../../src/doctor/format-results.js';

describe('formatResults', () => {
  it('prints one line per check, and under a failure why and the screen it saw', () => {
    const results: CheckResult[] = [
      { id: 'claude.version', title: 'Claude Code 2.1.332 answers --version', status: 'ok', detail: 'not shown for ok' },
      { id: 'claude.status-line', title: 'status line JSON', status: 'changed', detail: 'a field was renamed' },
      {
        id: 'claude.trust-dialog',
        title: 'trust dialog answered',
        status: 'failed',
        detail: 'no rule matched the screen\nexpected "Do you trust the files"',
        screen: ['  Trust this folder?   ', '> 1. Yes'],
      },
    ];
    expect(formatResults('ccwave doctor: Claude Code 2.1.332 (claude, the default agent)', results)).toBe(
      [
        'ccwave doctor: Claude Code 2.1.332 (claude, the default agent)',
        'ok      Claude Code 2.1.332 answers --version  [claude.version]',
        'changed status line JSON  [claude.status-line]',
        '        a field was renamed',
        'failed  trust dialog answered  [claude.trust-dialog]',
        '        no rule matched the screen',
        '        expected "Do you trust the files"',
        '        the screen ccwave saw:',
        '        |   Trust this folder?',
        '        | > 1. Yes',
        '1 failed, 1 changed of 3 checks',
        '',
      ].join('\n'),
    );
  });

  it('strips control characters from what a screen or an agent said', () => {
    const text = formatResults('header\x1b[2J', [{ id: 'x', title: 'title\x07', status: 'failed', detail: 'de\x1b]0;owned\x07tail', screen: ['\x1b[31mred\x1b[0m\u202e'] }]);
    expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]/);
    expect(text).toContain('        | red\n');
    expect(text).toContain('        detail\n');
  });

  it('says all passed when nothing failed or changed', () => {
    expect(
      formatResults('h', [{ id: 'a', title: 'a', status: 'ok' }])
        .split('\n')
        .at(-2),
    ).toBe('all 1 checks passed');
  });
});
