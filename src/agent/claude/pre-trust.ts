import { readFile, rename, writeFile } from 'node:fs/promises';
import { isRecord } from '../../is-record.js';

/**
 * Marks one folder as trusted in Claude Code's config (`~/.claude.json`), so the folder-trust dialog
 * is not shown there. Opt-in only. It changes nothing else: the file is read, one project entry is
 * merged in, and the result replaces the file atomically. A missing or unreadable file is left
 * alone (returns false): the dialog is then answered on screen instead.
 *
 * Claude itself rewrites this file while running; call this before launching, not during a session.
 */
export async function preTrustPath(configPath: string, folder: string): Promise<boolean> {
  let config: unknown;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8'));
  } catch {
    return false;
  }
  if (!isRecord(config)) return false;
  const projects = isRecord(config['projects']) ? config['projects'] : {};
  const project = isRecord(projects[folder]) ? projects[folder] : {};
  if (project['hasTrustDialogAccepted'] === true) return true;
  const updated = { ...config, projects: { ...projects, [folder]: { ...project, hasTrustDialogAccepted: true } } };
  const temp = `${configPath}.ccwave-${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(updated, null, 2), { mode: 0o600 });
  await rename(temp, configPath);
  return true;
}
