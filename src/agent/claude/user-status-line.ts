import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isRecord } from '../../is-record.js';

/**
 * The user's own `statusLine`, which ccwave's status line runs after recording. Taken from the
 * user's settings only: a project's `.claude/settings.json` is in the worktree, where an agent can
 * commit one, and ccwave never runs a command an agent wrote.
 */
export interface UserStatusLine {
  command: string;
  padding?: number;
}

/** Where Claude Code keeps the user's settings: `$CLAUDE_CONFIG_DIR` or `~/.claude`. */
export function userSettingsPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['CLAUDE_CONFIG_DIR'] || join(env['HOME'] || homedir(), '.claude'), 'settings.json');
}

/** The `statusLine` of a settings file; undefined when there is none or the file is unreadable. */
export function readUserStatusLine(settingsPath: string): UserStatusLine | undefined {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(settingsPath, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(data) || !isRecord(data['statusLine'])) return undefined;
  const { type, command, padding } = data['statusLine'];
  if (type !== 'command' || typeof command !== 'string' || command.trim() === '') return undefined;
  return typeof padding === 'number' && Number.isFinite(padding) ? { command, padding } : { command };
}
