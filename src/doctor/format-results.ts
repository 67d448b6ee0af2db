import { CONTROL_CHARS } from '../control-chars.js';
import type { CheckResult } from './check.js';

/** Wide enough for the longest status word, so the titles line up. */
const STATUS_WIDTH = 8;
const INDENT = ' '.repeat(STATUS_WIDTH);

/** Whole escape sequences (CSI, OSC), so no `[31m` is left behind when their ESC goes. */
const ESCAPE_SEQUENCES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** What a screen or an agent's answer holds is not ours: nothing in it may drive the terminal. */
function plain(text: string): string {
  return text.replace(ESCAPE_SEQUENCES, '').replace(CONTROL_CHARS, '');
}

/**
 * One line per check (`ok`, `changed`, `failed`, then its title and id); under a changed or failed
 * one, why, and for a failure on a screen the screen as ccwave saw it.
 */
export function formatResults(header: string, results: readonly CheckResult[]): string {
  const lines = [plain(header)];
  for (const result of results) {
    lines.push(`${result.status.padEnd(STATUS_WIDTH)}${plain(result.title)}  [${result.id}]`);
    if (result.status === 'ok') continue;
    for (const line of (result.detail ?? '').split('\n').filter(Boolean)) lines.push(`${INDENT}${plain(line)}`);
    if (result.screen?.length) {
      lines.push(`${INDENT}the screen ccwave saw:`);
      for (const line of result.screen) lines.push(`${INDENT}| ${plain(line).trimEnd()}`);
    }
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  const changed = results.filter((r) => r.status === 'changed').length;
  const counts = [failed > 0 ? `${failed} failed` : '', changed > 0 ? `${changed} changed` : ''].filter(Boolean).join(', ');
  lines.push(counts ? `${counts} of ${results.length} checks` : `all ${results.length} checks passed`);
  return `${lines.join('\n')}\n`;
}
