import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GroupIdentity } from './process-group.js';

/**
 * A command's process group written next to its log while it runs, for commands that have no
 * journal event of their own (verify): a crash leaves the file, and the resume ends the group.
 */
export const GROUP_RECORD_SUFFIX = '.group.json';

export interface GroupRecord {
  command: string;
  group: GroupIdentity;
}

export function writeGroupRecord(file: string, record: GroupRecord): void {
  writeFileSync(file, JSON.stringify(record));
}

export function removeGroupRecord(file: string): void {
  rmSync(file, { force: true });
}

/** The records left in the folders directly under `dir` (one per task), with their files. */
export function leftGroupRecords(dir: string): Array<{ file: string; folder: string; record: GroupRecord }> {
  let folders: string[];
  try {
    folders = readdirSync(dir);
  } catch {
    return [];
  }
  const found: Array<{ file: string; folder: string; record: GroupRecord }> = [];
  for (const folder of folders) {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, folder)).filter((name) => name.endsWith(GROUP_RECORD_SUFFIX));
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(dir, folder, name);
      const record = parseRecord(file);
      if (record) found.push({ file, folder, record });
    }
  }
  return found;
}

function parseRecord(file: string): GroupRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<GroupRecord>;
    const group = value.group;
    if (typeof value.command !== 'string' || !group || !Number.isInteger(group.pid) || group.pid <= 0 || typeof group.hostname !== 'string') return undefined;
    return { command: value.command, group };
  } catch {
    // Torn by the crash that left it: nothing can be known of that group.
    return undefined;
  }
}
