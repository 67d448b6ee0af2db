import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_PLAN } from '../defaults.js';
import type { RunOptions } from '../actions/run.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of 1 or more');
  return n;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a plan: agents in worktrees, wave by wave, merged through the tested merge queue')
    .argument('[plan]', 'the plan file', DEFAULT_PLAN)
    .option('-c, --concurrency <n>', 'agents running at once (overrides the plan)', positiveInt)
    .option('--wave <n>', 'run only wave n', positiveInt)
    .option('--from <n>', 'start at wave n', positiveInt)
    .option('--base <branch>', 'branch to build on and land into (overrides the plan)')
    .option('--model <model>', "Claude's model for every task (overrides the plan)")
    .option('--dry-run', 'print what would be created and run, and change nothing')
    .option('--no-tui', 'plain log lines instead of the terminal UI')
    .option('--json', 'print the journal events as JSON lines, from run-started (each has "v", the schema version)')
    .option('--fresh', 'start a new run even if the latest run of this plan is unfinished')
    .option('--no-bell', 'no terminal bell when a wave ends or a task waits for a person')
    .option('--only-failed', 'a new run of only the tasks that did not merge (failed, timed out, conflicted, tests failed) in the last run of this plan')
    .option('--task <id>', 'a new run of only this task (repeat for more; with --only-failed, these as well)', collect)
    .option('--redo <task>', 'run this task even though its feature is already merged into base (repeat for more)', collect)
    .addHelpText(
      'after',
      `
Running it again after a crash or Ctrl-C resumes the unfinished run of the same plan: finished
tasks are not redone and merges are never applied twice.

After a run with failures, \`ccwave run --only-failed\` starts a new run of only the tasks that did
not merge; \`--task <id>\` takes one task by name. Each starts over from the base branch in a new
worktree (the earlier attempt's branch is kept), and the tasks keep their waves. A task left out of
such a run stays owed: the next \`--only-failed\` still takes it.

A new run leaves out the tasks whose feature ccwave already merged into the base branch (a merge
commit on its first-parent history with that task's Ccwave-Task trailer): they are journaled as
done earlier, with that merge, and not started. \`--redo <task>\` runs one anyway; \`--dry-run\`
lists them.

Exit status: 0 every task merged with tests green; 1 some task failed, conflicted or is unverified;
2 bad plan or environment (nothing changed); 130 interrupted (run it again to resume).`,
    )
    .action(async (plan: string, flags: Omit<RunOptions, 'plan'>) => {
      const { runCommand } = await import('../actions/run.js');
      process.exitCode = await runCommand({ ...flags, plan });
    });
}
