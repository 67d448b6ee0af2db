import { Command, CommanderError, Option } from 'commander';
import { UserError, EXIT, noSpaceError } from '../errors.js';
import { diskFullMessage } from './disk-full.js';
import { packageVersion } from '../package-version.js';
import { enterWorkingDir } from './working-dir.js';
import { registerValidate } from './commands/validate.js';
import { registerPlan } from './commands/plan.js';
import { registerInit } from './commands/init.js';
import { registerRun } from './commands/run.js';
import { registerDemo } from './commands/demo.js';
import { registerLogs } from './commands/logs.js';
import { registerStatus } from './commands/status.js';
import { registerClean } from './commands/clean.js';
import { registerRetro } from './commands/retro.js';
import { registerDiff } from './commands/diff.js';
import { registerRuns } from './commands/runs.js';
import { registerDoctor } from './commands/doctor.js';

/** Builds the command tree. Each command lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('ccwave')
    .description('Run waves of AI coding agents in git worktrees, merge their work through a tested merge queue.')
    .version(packageVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    // Every command's --help lists -C, which works before or after the command name.
    .configureHelp({ showGlobalOptions: true })
    .exitOverride();
  // -V was the version flag first; -v is what people type. Both keep working.
  program.addOption(new Option('-V', 'print the version').hideHelp());
  program.on('option:V', () => {
    process.stdout.write(`${packageVersion()}\n`);
    throw new CommanderError(EXIT.ok, 'commander.version', packageVersion());
  });
  // Like `git -C`: recognised anywhere on the line, before the command runs.
  program.addOption(new Option('-C <dir>', 'run as if ccwave was started in <dir> (like git -C)'));
  program.hook('preAction', (root) => enterWorkingDir(root.opts<{ C?: string }>().C));
  registerPlan(program);
  registerValidate(program);
  registerRun(program);
  registerDemo(program);
  registerInit(program);
  registerStatus(program);
  registerRuns(program);
  registerLogs(program);
  registerClean(program);
  registerRetro(program);
  registerDiff(program);
  registerDoctor(program);
  return program;
}

/**
 * The one top-level boundary: user errors become a message, a hint and an exit code;
 * anything else is a bug and gets its stack.
 */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  const startedIn = process.cwd();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    return reportError(error);
  } finally {
    // In-process callers (tests) get their folder back.
    if (process.cwd() !== startedIn) process.chdir(startedIn);
  }
}

function reportError(error: unknown): number {
  if (error instanceof CommanderError) {
    // Commander already printed help, the version or its own message.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return EXIT.ok;
    }
    return EXIT.usage;
  }
  if (error instanceof UserError) {
    process.stderr.write(`ccwave: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return error.exitCode;
  }
  // Not a bug and not bad input: the machine ran out of room. Say so, and how to go on.
  const noSpace = noSpaceError(error);
  if (noSpace) {
    const { message, hint } = diskFullMessage(noSpace);
    process.stderr.write(`ccwave: ${message}\nhint: ${hint}\n`);
    return EXIT.diskFull;
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`ccwave: internal error: ${text}\n`);
  return EXIT.internal;
}
