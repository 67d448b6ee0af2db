import path from 'node:path';
import type { JournalEvent } from '../journal/events.js';
import { unfinishedCommands } from '../journal/unfinished-commands.js';
import { leftGroupRecords, removeGroupRecord } from '../process/group-record.js';
import { endSurvivingGroup } from '../process/process-group.js';
import type { RunRecorder } from './recorder.js';

/**
 * Ends every test, setup or verify command of an earlier ccwave of this run that is still running (its
 * runner was killed): left alone, it would go on in a worktree the resumed run resets under it.
 * Each is journaled as a repair.
 */
export async function endSurvivingCommands(events: readonly JournalEvent[], recorder: RunRecorder, runDir: string): Promise<void> {
  // Verify commands leave a record file in their task's folder instead of journal events.
  for (const { file, folder, record } of leftGroupRecords(path.join(runDir, 'tasks'))) {
    if (await endSurvivingGroup(record.group)) {
      recorder.record({
        type: 'repair',
        action: 'verify-command-ended',
        task: folder,
        detail: `the verify command \`${record.command}\` (process group ${record.group.pid}) was still running from before; ended it`,
      });
    }
    removeGroupRecord(file);
  }
  for (const command of unfinishedCommands(events)) {
    if (!(await endSurvivingGroup(command.group))) continue;
    recorder.record({
      type: 'repair',
      action: `${command.kind}-command-ended`,
      ...(command.task ? { task: command.task } : {}),
      detail: `the ${command.kind} command \`${command.command}\` (process group ${command.group.pid}) was still running from before; ended it`,
    });
  }
}
