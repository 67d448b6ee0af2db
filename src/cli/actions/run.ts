import path from 'node:path';
import { installProcessCleanup, PtyRegistry } from '../../agent/pty-registry.js';
import { systemClock } from '../../agent/deadline.js';
import { CLAUDE_LAUNCH_CAP_MS, LaunchGate } from '../../agent/launch-gate.js';
import { EXIT } from '../../errors.js';
import { formatDiagnostic } from '../../plan/diagnostics.js';
import type { FlagSettings } from '../../plan/effective.js';
import { runDir } from '../../journal/runs.js';
import { isTaskOver, type RunState } from '../../journal/run-state.js';
import type { RunContext } from '../../run/context.js';
import { LiveTerminals } from '../../run/live-terminals.js';
import { taskFiles } from '../../agent/task-files.js';
import { lastRunOfPlan, openRun, resumableRun } from '../../run/open-run.js';
import { checkAgents } from '../../run/agent-checks.js';
import { newerClaudeWarning } from '../../doctor/agent-under-test.js';
import { preflight } from '../../run/preflight.js';
import { jsonPresenter, plainPresenter, tuiPresenter, type Presenter } from '../../run/presenters.js';
import { runPlan } from '../../run/run-plan.js';
import { startNotifier } from '../../run/notify-run.js';
import { StopControl, TaskStops } from '../../run/stop-control.js';
import { UsagePause } from '../../run/usage-pause.js';
import { watchBudgets } from '../../run/budget-watch.js';
import { watchFiveHourWindow } from '../../run/budget-five-hour.js';
import { checkWaveSelection } from '../../run/wave-selection.js';
import { unfinishedTasks } from '../../run/exit-code.js';
import { BELL, ringsFor } from '../../ui/bell.js';
import { formatSummary, SUMMARY_WIDTH } from '../../ui/summary.js';
import { chooseTasks, owedTasks } from '../../run/choose-tasks.js';
import { rerunAdvice } from '../../ui/next-steps.js';
import { loadPlanArgument, planArgument } from '../plan-argument.js';
import { uncommittedPlanWarning } from '../../run/uncommitted-plan.js';
import { processIO, type CommandIO } from '../command-io.js';
import { printDryRun } from '../dry-run.js';
import { decideSkips } from '../../run/already-merged.js';

/** Signals that stop a run: the first politely and resumable, a second at once. */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface RunOptions {
  /** The plan file. */
  plan: string;
  concurrency?: number;
  wave?: number;
  from?: number;
  base?: string;
  model?: string;
  dryRun?: boolean;
  tui: boolean;
  json?: boolean;
  fresh?: boolean;
  /** False with --no-bell; a bell rings when undefined. */
  bell?: boolean;
  onlyFailed?: boolean;
  task?: string[];
  /** Tasks to run even though their feature is already merged into base. */
  redo?: string[];
}

/** `ccwave run`: validates, checks the repository, then runs (or resumes) the plan. */
export async function runCommand(flags: RunOptions, io: CommandIO = processIO): Promise<number> {
  const overrides: FlagSettings = {
    ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
    ...(flags.base ? { base: flags.base } : {}),
    ...(flags.model ? { model: flags.model } : {}),
  };
  const { plan: fullPlan, diagnostics } = loadPlanArgument(flags.plan, overrides);
  for (const diagnostic of diagnostics) io.err(`${formatDiagnostic(diagnostic)}\n`);
  if (!fullPlan) return EXIT.usage;
  const pre = await preflight(fullPlan, flags.base);
  const agentProblems = await checkAgents(fullPlan);
  for (const diagnostic of agentProblems) io.err(`${formatDiagnostic(diagnostic)}\n`);
  if (agentProblems.some((d) => d.severity === 'error')) return EXIT.usage;
  const newerClaude = await newerClaudeWarning(fullPlan);
  if (newerClaude) io.err(`${newerClaude}\n`);
  const selection = { ...(flags.wave ? { only: flags.wave } : {}), ...(flags.from ? { from: flags.from } : {}) };
  checkWaveSelection(selection, fullPlan.waves.length, lastRunOfPlan(pre.repo.dataDir, fullPlan)?.state);
  const planArg = planArgument(fullPlan.file);
  const chosen = await chooseTasks(
    fullPlan,
    pre,
    { onlyFailed: flags.onlyFailed === true, tasks: flags.task ?? [], fresh: flags.fresh === true, byWave: flags.wave !== undefined || flags.from !== undefined },
    planArg,
  );
  if (chosen.kind === 'none') {
    io.err(`${chosen.message}\n`);
    return EXIT.ok;
  }
  if (chosen.kind === 'some') io.err(`${chosen.message}\n`);
  const uncommitted = await uncommittedPlanWarning(pre.repo, chosen.plan, pre.base.branch);
  if (uncommitted) io.err(uncommitted);
  const resuming = flags.fresh ? undefined : resumableRun(pre.repo.dataDir, fullPlan)?.runId;
  const merged = await decideSkips(fullPlan, chosen.plan, pre, { redo: flags.redo ?? [], named: flags.task ?? [], ...(resuming ? { resuming } : {}) }, planArg);
  if (flags.dryRun) {
    await printDryRun(chosen.plan, pre, flags, (text) => io.out(text), merged);
    return EXIT.ok;
  }
  for (const line of merged.lines) io.err(`${line}\n`);
  if (merged.nothingLeft) {
    io.err(`every task of this run is already merged into ${pre.base.branch}: nothing to run\n`);
    return EXIT.ok;
  }
  const opened = await openRun(chosen.plan, pre, {
    fresh: flags.fresh === true,
    command: commandLine(),
    alreadyMerged: merged.skips,
    ...(chosen.kind === 'some' ? { selection: chosen.selection } : {}),
  });
  const plan = opened.plan;
  const registry = new PtyRegistry();
  // Signals are ours to handle (first: graceful stop); the registry still kills agents on exit or a crash.
  const uninstallCleanup = installProcessCleanup(registry, { signals: false });
  const stop = new StopControl();
  const taskStops = new TaskStops();
  const retries: RunContext['retries'] = {};
  const terminals = new LiveTerminals((taskId) => taskFiles(path.join(runDir(pre.repo.dataDir, opened.runId), 'tasks', taskId)).finalScreen);
  const out = (text: string): void => io.out(text);
  const state = opened.recorder.state;
  if (opened.resumedFrom) io.err(`${resumeLine(opened.runId, state)}\n`);
  const useTui = flags.tui && !flags.json && process.stdout.isTTY === true && process.stdin.isTTY === true;
  const presenter: Presenter = flags.json
    ? jsonPresenter(out)
    : useTui
      ? await tuiPresenter(state, {
          concurrency: plan.settings.concurrency,
          terminals,
          stdin: process.stdin,
          stdout: process.stdout,
          onIntent: (intent) => {
            if (intent.type === 'quit') requestStop(intent.force ? 'hard' : 'graceful', 'stopped from the UI');
            if (intent.type === 'stop-task') return stopTask(opened.recorder.state, taskStops, intent.taskId);
            if (intent.type === 'retry-task') return retries.handler ? retries.handler(intent.taskId) : `${intent.taskId} can only be retried while its wave's agents are at work`;
            return undefined;
          },
        })
      : plainPresenter(out, state);
  // Only a person at a terminal hears a bell; JSON and piped output stay clean.
  const ring = flags.bell !== false && !flags.json && process.stdout.isTTY === true ? () => io.out(BELL) : undefined;
  const unsubscribe = opened.recorder.subscribe((event, next) => {
    presenter.onEvent(event, next);
    if (ring && ringsFor(event)) ring();
  });
  // What opening the run recorded (run-started, or run-resumed and its repairs) came before anyone
  // listened: a program reading --json gets the whole stream of this invocation.
  if (flags.json) for (const event of opened.recorder.journal.read().events) if (event.seq > (opened.resumedFrom?.lastSeq ?? 0)) presenter.onEvent(event, state);
  // A forced stop still stops launching; a second request of either kind ends the agents and the
  // user's running commands (test, setup, verify) at once.
  const requestStop = (level: 'graceful' | 'hard', reason: string): void => {
    if (stop.request(reason) === 'hard' || level === 'hard') registry.killAll();
  };
  const onSignal = (signal: NodeJS.Signals): void => requestStop('graceful', `received ${signal}`);
  // SIGHUP (the terminal closed, the ssh session dropped) is a stop like any other: resumable.
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const ctx: RunContext = {
    plan,
    repo: pre.repo,
    recorder: opened.recorder,
    runId: opened.runId,
    runDir: runDir(pre.repo.dataDir, opened.runId),
    worktreeRoot: opened.worktreeRoot,
    repoConfig: opened.repoConfig,
    integration: opened.integration,
    registry,
    claudeLaunches: new LaunchGate(CLAUDE_LAUNCH_CAP_MS, systemClock),
    stop,
    taskStops,
    retries,
    live: terminals,
    concurrency: plan.settings.concurrency,
    onHost: (taskId, host) => terminals.add(taskId, host),
  };
  const notifier = startNotifier(plan.settings.notify, opened.recorder, { root: plan.root });
  // A second stop request means at once: the end no longer waits for notifications either.
  const stopNow = new AbortController();
  stop.onRequest((level) => (level === 'hard' ? stopNow.abort() : undefined));
  try {
    const pause = new UsagePause(systemClock);
    const unwatchBudgets = watchBudgets({ plan, recorder: opened.recorder, stop, taskStops, pause });
    const unwatchWindow = watchFiveHourWindow({ recorder: opened.recorder, pause, threshold: plan.settings.fiveHourPause, clock: systemClock });
    const outcome = await runPlan(ctx, pause, selection).finally(() => (unwatchBudgets(), unwatchWindow()));
    // The run's last notifications go out (a bounded wait) while a failed delivery can still be shown.
    await notifier?.close(stopNow.signal);
    unsubscribe();
    // A run that ended by itself leaves a task's screen up for whoever is reading it; q (a stop
    // request, now with nothing to stop) or a signal lets it go.
    await presenter.close(stop.stopping ? undefined : { message: `run finished (exit ${outcome.exitCode})`, leave: stop.signal });
    if (!flags.json) {
      out(
        `\n${formatSummary(opened.recorder.state, { logsDir: path.join(ctx.runDir, 'tasks'), journal: opened.recorder.journal.path, retrospectivesDir: path.join(plan.root, plan.settings.retro.dir) }, terminalWidth())}\n`,
      );
      for (const { task, why } of unfinishedTasks(opened.recorder.state)) out(`  ${task.id}: ${why}\n`);
      for (const { wave, land } of outcome.unlanded) out(`wave ${wave} was not landed on ${state.base?.branch}: ${land.why}\n  to land it: ${land.command}\n`);
      if (outcome.interrupted) out(`stopped: ${outcome.interrupted}\nrun \`ccwave run ${planArg}\` again to resume run ${opened.runId}\n`);
      else out(rerunAdvice(opened.recorder.state, owedTasks(pre.repo.dataDir, fullPlan), planArg));
    }
    return outcome.exitCode;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
    await notifier?.close(stopNow.signal);
    unsubscribe();
    await presenter.close();
    registry.killAll();
    uninstallCleanup();
    opened.recorder.journal.close();
    opened.lock.release();
  }
}

/** `k`: a task that is already over has nothing to stop, and a stop left armed would cut short its conflict hand-back. */
function stopTask(state: RunState, taskStops: TaskStops, taskId: string): string | undefined {
  const task = state.tasks[taskId];
  if (task && isTaskOver(task.status) && !task.handback?.pending) return `${taskId} is already over (${task.status})`;
  taskStops.stop(taskId);
  return undefined;
}

function commandLine(): string {
  return ['ccwave', ...process.argv.slice(2)].join(' ');
}

function resumeLine(runId: string, state: RunState): string {
  const tasks = Object.values(state.tasks);
  const done = tasks.filter((t) => isTaskOver(t.status)).length;
  const running = tasks.filter((t) => t.status === 'running' || t.status === 'preparing').length;
  const wave = state.waves.find((w) => w.status !== 'finished')?.index ?? state.waves.length;
  return `resuming run ${runId} at wave ${wave}: ${done} done, ${running} to resume, ${tasks.length - done - running} to start`;
}

/** Only a terminal has a width: piped or redirected output is never cut to fit one. */
function terminalWidth(): number | undefined {
  return process.stdout.isTTY ? process.stdout.columns || SUMMARY_WIDTH : undefined;
}
