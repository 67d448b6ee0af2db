import type { AgentTask, PlanCommand } from './adapter.js';

/**
 * The agent's whole instruction: the feature's PROMPT.md, then how ccwave runs it. The agent works
 * unattended, so everything a person would say at the start is said here.
 */
export function buildTaskPrompt(task: Pick<AgentTask, 'prompt' | 'worktree' | 'branch' | 'acceptanceCriteria' | 'commands'>): string {
  const criteria =
    task.acceptanceCriteria.length > 0 ? task.acceptanceCriteria.map((c) => `  - ${c}`).join('\n') : '  - Everything the task above asks for is implemented, and the existing tests still pass.';
  return [
    task.prompt.trim(),
    '',
    '---',
    '',
    '## How this task is run',
    '',
    `- You are working in a git worktree at \`${task.worktree}\`, on branch \`${task.branch}\`. Stay in it.`,
    '- This run is unattended: nobody will answer questions. Make reasonable decisions yourself, say',
    '  which assumptions you made in your commit messages, and keep going.',
    '- Commit your work with clear messages (`git add`, `git commit`) as you go. Uncommitted work is',
    '  not collected. Do not push, and do not switch or rewrite branches.',
    '- Your definition of done is these acceptance criteria:',
    criteria,
    '- When all of them are met and committed, say so briefly and stop.',
    ...commandLines(task.commands ?? []),
    '',
  ].join('\n');
}

const ROLE_TEXT: Record<PlanCommand['role'], string> = {
  test: 'the tests, which must pass before your work is merged',
  setup: 'sets the worktree up (already run once)',
  verify: 'checks your work when you finish',
};

/** The plan's commands, word for word: an agent that runs them exactly so needs no permission. */
function commandLines(commands: readonly PlanCommand[]): string[] {
  if (commands.length === 0) return [];
  return ["- The project's own commands, which you may run (exactly as written here):", ...commands.map((c) => `  - \`${c.command}\`: ${ROLE_TEXT[c.role]}`)];
}
