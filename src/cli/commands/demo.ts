import type { Command } from 'commander';
import type { DemoOptions } from '../actions/demo.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('run a real two-wave plan on a sample repository with a scripted fake agent (no account needed)')
    .option('--dir <dir>', 'where to create the sample repository (default: a new temp folder)')
    .option('--no-tui', 'plain log lines instead of the terminal UI')
    .addHelpText(
      'after',
      `
The demo copies a small sample project to a temp folder, makes it a git repository, and runs
a two-wave plan on it: real worktrees, real commits by a fake agent that behaves like Claude Code
in a real terminal, a merge conflict its agent resolves, the test gate, and retrospectives.
It takes about half a minute and prints where the result is.`,
    )
    .action(async (options: DemoOptions) => {
      const { demoCommand } = await import('../actions/demo.js');
      process.exitCode = await demoCommand(options);
    });
}
