import path from 'node:path';
import type { JournalEvent } from '../journal/events.js';
import { unfinishedCommands } from '../journal/unfinished-commands.js';
import { leftGroupRecords, removeGroupRecord } from '../process/group-record.js';
import { endSurvivingGroup } from '../process/process-group.js';
import type { RunRecorder } from '../journal/recorder.js';

/**
 * Ends every test, setup or verify command of an earlier ccwave of this run that is still running
 * (its runner was killed): left alone, it would go on in a worktree the resumed run resets under
 * it. Each is journaled as a repair.
 */
export async function endSurvivingCommands(events: readonly JournalEvent[], recorder: RunRecorder, runDir: string): Promise<void> {
  // Verify commands leave a record file in their task's folder instead of journal events.
  const left = leftGroupRecords(path.join(runDir, 'tasks')).map(({ file, folder, record }) => ({ kind: 'verify' as const, task: folder, file, ...record }));
  for (const command of [...left, ...unfinishedCommands(events)]) {
    const ended = await endSurvivingGroup(command.group);
    if ('file' in command) removeGroupRecord(command.file);
    if (ended === 'none') continue;
    const what = `the ${command.kind} command \`${command.command}\` (process group ${command.group.pid}) was still running from before`;
    recorder.record({
      type: 'repair',
      action: ended === 'ended' ? `${command.kind}-command-ended` : `${command.kind}-command-survives`,
      ...(command.task ? { task: command.task } : {}),
      detail: ended === 'ended' ? `${what}; ended it` : `${what} and did not end even with SIGKILL; stop it yourself`,
    });
  }
}
