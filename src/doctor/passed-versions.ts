import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compareVersions } from './claude-identity.js';

/**
 * The Claude Code (and Codex CLI) versions `ccwave doctor` passed on this machine, with when: a run
 * warns when the installed Claude is newer than all of them. Per user, not per repository: the
 * binary is the user's. Each agent has its own file, so their version numbers never mix.
 */
export type DoctorAgent = 'claude' | 'codex';

interface PassedFile {
  schemaVersion: 1;
  passed: Record<string, string>;
}

/** `$XDG_CONFIG_HOME/ccwave`, else `~/.config/ccwave` (the XDG default, also on macOS for a CLI). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CONFIG_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.config'), 'ccwave');
}

export function passedVersionsFile(env: NodeJS.ProcessEnv = process.env, agent: DoctorAgent = 'claude'): string {
  return path.join(configDir(env), agent === 'claude' ? 'doctor-passed.json' : `doctor-passed-${agent}.json`);
}

/** The versions doctor passed; none when the file is missing or unreadable (it is only a reminder). */
export function readPassedVersions(env: NodeJS.ProcessEnv = process.env, agent: DoctorAgent = 'claude'): Record<string, string> {
  try {
    const file = JSON.parse(readFileSync(passedVersionsFile(env, agent), 'utf8')) as Partial<PassedFile>;
    return file.passed && typeof file.passed === 'object' ? file.passed : {};
  } catch {
    return {};
  }
}

export function newestPassedVersion(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return Object.keys(readPassedVersions(env)).sort(compareVersions).at(-1);
}

/** Adds `version`; written to a temporary file and renamed, so a reader never sees half a file. */
export function rememberPassedVersion(version: string, at: Date = new Date(), env: NodeJS.ProcessEnv = process.env, agent: DoctorAgent = 'claude'): void {
  const file = passedVersionsFile(env, agent);
  mkdirSync(path.dirname(file), { recursive: true });
  const content: PassedFile = { schemaVersion: 1, passed: { ...readPassedVersions(env, agent), [version]: at.toISOString() } };
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(temp, file);
}
