import type { Command } from 'commander';
import type { DoctorOptions } from '../actions/doctor.js';

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .summary('check the installed Claude Code and this machine before a run')
    .description("check that the installed Claude Code (and Codex CLI, when the plan runs it) and this machine work with ccwave, before a long run (offline: the agent talks to ccwave's own fake API)")
    .option('--agent-command <path>', 'the Claude Code to check (default: the one `ccwave run` would start)')
    .option('--json', 'print { schemaVersion: 1, claudeVersion, codexVersion (when the plan runs Codex), results, ok } as JSON')
    .addHelpText(
      'after',
      '\nEach check prints ok, changed (a warning) or failed, with why.\nExit status: 0 when nothing failed, 1 when a check failed.\nA Claude Code or Codex CLI version that passes is remembered; `ccwave run` warns when the installed Claude Code is newer.',
    )
    .action(async (options: DoctorOptions) => {
      // Loaded on use, so `--help` and other commands don't pay for the checks.
      const { doctorCommand } = await import('../actions/doctor.js');
      process.exitCode = await doctorCommand(options);
    });
}
