import { killStrayProcesses, type StrayProcess } from '../agent/stray-processes.js';
import type { RunContext } from './context.js';
import { restoreIntegrationBranch } from './integration-guard.js';
import type { RunRecorder } from '../journal/recorder.js';
import { restoreRepoConfig, type RepoConfigChanges } from './repo-config-guard.js';

/** How many left-behind processes a repair line names; the rest are counted. */
const STRAYS_NAMED = 3;

export interface GuardedAgent {
  /** The task id (or the retro agent's name) the agent's environment carries. */
  taskId: string;
  worktree: string;
  /** Where changed git config and hooks are kept for a person to look at. */
  saveDir: string;
}

/**
 * Runs one agent session and cleans up after it, whatever it did: processes it left running are
 * killed (before, too: a crashed ccwave may have left some), the shared git config and hooks are
 * put back, and the integration branch is returned to where the journal has it.
 */
export async function withAgentGuards<T>(ctx: RunContext, agent: GuardedAgent, run: () => Promise<T>): Promise<T> {
  const marker = { runId: ctx.runId, taskId: agent.taskId, worktree: agent.worktree };
  reportStrays(ctx, agent.taskId, killStrayProcesses(marker));
  try {
    return await run();
  } finally {
    reportStrays(ctx, agent.taskId, killStrayProcesses(marker));
    reportConfig(ctx.recorder, restoreRepoConfig(ctx.repo, ctx.repoConfig, agent.saveDir), { task: agent.taskId, when: 'while it ran', saveDir: agent.saveDir });
    // Also while the merge queue waits on a conflict hand-back: it moves the branch by compare-and-swap.
    await restoreIntegrationBranch(ctx);
  }
}

function reportStrays(ctx: RunContext, taskId: string, killed: StrayProcess[]): void {
  if (killed.length === 0) return;
  const named = killed.slice(0, STRAYS_NAMED).map((p) => `${p.pid} (${p.command.slice(0, 60)})`);
  const more = killed.length > STRAYS_NAMED ? ` and ${killed.length - STRAYS_NAMED} more` : '';
  ctx.recorder.record({ type: 'repair', action: 'agent-processes-killed', task: taskId, detail: `killed ${killed.length} process(es) the agent left running: ${named.join(', ')}${more}` });
}

/**
 * An agent may change the shared git config or hooks (`git config core.hooksPath`, a filter driver,
 * a post-checkout hook): later checkouts by ccwave or the user would run its programs. `when`
 * says when the change was made, `task` under whom it is journaled (none: the run's own).
 */
export function reportConfig(recorder: RunRecorder, changes: RepoConfigChanges, where: { task?: string; when: string; saveDir: string }): void {
  const task = where.task !== undefined ? { task: where.task } : {};
  if (changes.configLines) {
    const keys = [...new Set(changes.configLines.map((line) => line.replace(/^-/, '').split('=')[0]))];
    recorder.record({
      type: 'repair',
      action: 'git-config-restored',
      ...task,
      detail: `the repository's git config changed ${where.when} (${keys.join(', ')}): restored; the changed file is in ${where.saveDir}`,
    });
  }
  if (changes.hooks.length > 0) {
    recorder.record({
      type: 'repair',
      action: 'git-hooks-removed',
      ...task,
      detail: `git hooks changed ${where.when} (${changes.hooks.join(', ')}): restored; the changed ones are in ${where.saveDir}`,
    });
  }
}
