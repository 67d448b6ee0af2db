import { expect } from 'vitest';
import { knownBugAt } from './known-bugs.js';
import {
  ccwave,
  describeEvent,
  killLeftovers,
  leftoverProcesses,
  lostCommits,
  outcomeOf,
  readJournal,
  removeSandbox,
  run,
  sandboxFrom,
  TASKS,
  WAVE_COUNT,
  worktrees,
  type CliRun,
  type JournalLine,
  type LeftoverProcess,
  type Outcome,
  type Sandbox,
} from './harness.js';

/** What an uninterrupted run of the fixture plan ends with. */
export interface Baseline {
  outcome: Outcome;
  events: JournalLine[];
  code: number | null;
  ms: number;
}

export async function baselineRun(template: string): Promise<Baseline> {
  const sandbox = sandboxFrom(template, 'baseline');
  try {
    const result = await run(sandbox);
    if (result.code !== 0) throw new Error(`the uninterrupted run failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    const outcome = outcomeOf(sandbox);
    const problems = outcomeProblems(outcome, undefined);
    if (problems.length > 0) throw new Error(`the uninterrupted run is not as expected:\n${problems.join('\n')}`);
    return { outcome, events: readJournal(sandbox), code: result.code, ms: result.ms };
  } finally {
    killLeftovers(sandbox);
    removeSandbox(sandbox);
  }
}

/** The phase of the run a journal event belongs to, for the report. */
export function phaseOf(event: JournalLine | undefined, before: readonly JournalLine[]): string {
  if (!event) return 'nothing journaled';
  switch (event.type) {
    case 'run-started':
      return 'run start: integration worktree';
    case 'run-resumed':
      return 'resume';
    case 'wave-started':
      return 'wave start';
    case 'worktree-intent':
    case 'worktree-created':
      return 'worktree creation';
    case 'setup-started':
    case 'setup-finished':
      return 'setup';
    case 'agent-starting':
    case 'agent-state':
    case 'agent-action': {
      // An agent started again after the wave's first merge-intent is resolving a conflict.
      const wave = before.filter((e) => e.type === 'wave-started').at(-1)?.seq ?? 0;
      const merging = before.some((e) => e.seq > wave && e.type === 'merge-intent');
      return merging ? 'conflict hand-back: agent running' : 'agent running';
    }
    case 'task-finished':
      return 'turn end / task finished';
    case 'merge-intent':
      return 'merge intent';
    case 'handback-started':
      return 'conflict hand-back journaled';
    case 'merge-done':
    case 'merge-skipped':
      return 'merge done';
    case 'test-started':
    case 'test-finished':
      return 'merge queue tests';
    case 'retro-started':
    case 'retro-written':
      return 'retrospective';
    case 'land-intent':
    case 'land-done':
      return 'landing';
    case 'wave-finished':
      return 'wave finished';
    case 'run-finished':
      return 'run finished';
    default:
      return event.type;
  }
}

/** How an outcome differs from what the plan must give: each task merged once, both retrospectives, main's tree. */
export function outcomeProblems(outcome: Outcome, expectedTree: string | undefined): string[] {
  const problems: string[] = [];
  for (const task of TASKS) {
    const count = outcome.merges[task] ?? 0;
    if (count !== 1) problems.push(`${task} is merged ${count} times on main (expected exactly 1)`);
  }
  for (const task of Object.keys(outcome.merges)) {
    if (!(TASKS as readonly string[]).includes(task)) problems.push(`unexpected merge of ${task} on main`);
  }
  if (outcome.retros.length !== WAVE_COUNT) problems.push(`main has ${outcome.retros.length} retrospectives (expected ${WAVE_COUNT}): ${outcome.retros.join(', ')}`);
  if (!outcome.finished) problems.push('the journal does not end with run-finished');
  if (expectedTree !== undefined && outcome.tree !== expectedTree) {
    const a = new Set(expectedTree.split('\n'));
    const b = new Set(outcome.tree.split('\n'));
    const missing = [...a].filter((line) => !b.has(line)).map((line) => `- ${line}`);
    const extra = [...b].filter((line) => !a.has(line)).map((line) => `+ ${line}`);
    problems.push(`main's tree differs from the uninterrupted run's:\n${[...missing, ...extra].join('\n')}`);
  }
  return problems;
}

export interface PointReport {
  k: number;
  /** The event the runner died after (its journal's last line), in short. */
  crashedAfter: string;
  crashedEvent?: JournalLine;
  phase: string;
  runs: Array<Pick<CliRun, 'code' | 'signal' | 'ms'>>;
  orphansAfterCrash: LeftoverProcess[];
  problems: string[];
  /** Kept on failure for inspection. */
  sandbox?: string;
  /** This run had fewer than K events (their number varies a little): nothing was tested. */
  notReached?: number;
}

export interface CrashOptions {
  /** Done to the sandbox between the crash and the resume (tear the journal, delete a worktree...). */
  between?: (sandbox: Sandbox, journal: JournalLine[]) => void;
  /** How many resumes are allowed before the run must have finished (default 2). */
  maxResumes?: number;
  /** More checks once the run is over (before clean); returns problems. */
  afterwards?: (sandbox: Sandbox) => Promise<string[]>;
}

/**
 * Crash point K: a fresh copy of the template run with the fault switch at K (it must die of
 * SIGKILL right after event K), then resumed until it finishes, then compared with the
 * uninterrupted run, checked for lost commits and leftover processes, and cleaned.
 */
export async function crashAndResume(template: string, k: number, expectedTree: string, options: CrashOptions = {}): Promise<PointReport> {
  const sandbox = sandboxFrom(template, `k${k}`);
  const report: PointReport = { k, crashedAfter: '', phase: '', runs: [], orphansAfterCrash: [], problems: [] };
  const problems = report.problems;
  const note = (r: CliRun): void => void report.runs.push({ code: r.code, signal: r.signal, ms: r.ms });
  const tail = (r: CliRun): string => `\n--- stdout (tail)\n${r.stdout.slice(-3000)}\n--- stderr (tail)\n${r.stderr.slice(-3000)}`;
  try {
    const first = await run(sandbox, { faultAfter: k });
    note(first);
    const crashed = readJournal(sandbox);
    const last = crashed.at(-1);
    if (first.code === 0 && last?.type === 'run-finished' && last.seq < k) {
      report.notReached = last.seq;
      return report;
    }
    if (first.signal !== 'SIGKILL') problems.push(`the faulted run did not die of SIGKILL (exit ${first.code}, signal ${first.signal})${tail(first)}`);
    report.crashedAfter = describeEvent(last);
    if (last) report.crashedEvent = last;
    report.phase = phaseOf(last, crashed.slice(0, -1));
    if (last?.seq !== k) problems.push(`the journal ends at event ${last?.seq}, not at K=${k}`);

    // Orphaned agents must die of SIGHUP when the dead runner's PTYs close.
    report.orphansAfterCrash = await leftoverProcesses(sandbox);
    if (report.orphansAfterCrash.length > 0) {
      problems.push(`processes outlived the killed runner: ${report.orphansAfterCrash.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
      killLeftovers(sandbox);
    }
    options.between?.(sandbox, crashed);

    if (last?.type !== 'run-finished') {
      const maxResumes = options.maxResumes ?? 2;
      for (let resume = 1; resume <= maxResumes; resume++) {
        const again = await run(sandbox);
        note(again);
        if (again.signal) problems.push(`resume ${resume} died of ${again.signal}${tail(again)}`);
        const finished = readJournal(sandbox).at(-1)?.type === 'run-finished';
        if (again.code === 0 && finished) break;
        // A finished run is not resumed: `ccwave run` again would start a new one.
        if (finished || resume === maxResumes || again.signal) {
          problems.push(`resume ${resume} ended with exit ${again.code}${finished ? '' : ', run unfinished'}${tail(again)}`);
          break;
        }
      }
    }
    problems.push(...outcomeProblems(outcomeOf(sandbox), expectedTree));
    if (options.afterwards) problems.push(...(await options.afterwards(sandbox)));

    const left = await leftoverProcesses(sandbox, 3_000);
    if (left.length > 0) problems.push(`processes left after the run: ${left.map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
    const lost = lostCommits(sandbox);
    if (lost.length > 0) problems.push(`agent commits reachable from no branch or archive ref: ${lost.join(', ')}`);

    const clean = await ccwave(sandbox, ['clean', '--all', '--force']);
    if (clean.code !== 0) problems.push(`ccwave clean --all --force exited ${clean.code}${tail(clean)}`);
    const left2 = worktrees(sandbox).filter((w) => w !== sandbox.repo);
    if (left2.length > 0) problems.push(`worktrees left after clean: ${left2.join(', ')}`);
    const lostAfterClean = lostCommits(sandbox);
    if (lostAfterClean.length > 0) problems.push(`agent commits lost by clean: ${lostAfterClean.join(', ')}`);
  } catch (error) {
    problems.push(`harness error: ${(error as Error).stack ?? String(error)}`);
  } finally {
    killLeftovers(sandbox);
    if (problems.length === 0) removeSandbox(sandbox);
    else report.sandbox = sandbox.root;
  }
  return report;
}

export function formatReport(report: PointReport): string {
  if (report.notReached !== undefined) return `K=${report.k}: not reached (this run had ${report.notReached} events)`;
  const runs = report.runs.map((r) => (r.signal ? r.signal : `exit ${r.code}`) + ` ${(r.ms / 1000).toFixed(1)}s`).join(' → ');
  const head = `K=${report.k} after ${report.crashedAfter} [${report.phase}]: ${runs}`;
  if (report.problems.length === 0) return `${head}: ok`;
  return `${head}\n  sandbox kept: ${report.sandbox}\n  ${report.problems.join('\n  ')}`;
}

/** The crash point passed, or failed exactly as a known bug says (then it is logged as such). */
export function checkPoint(report: PointReport): void {
  const bug = knownBugAt(report.crashedEvent);
  if (!bug) {
    expect(report.problems, formatReport(report)).toEqual([]);
    return;
  }
  if (!report.problems.some((problem) => bug.symptom.test(problem))) {
    throw new Error(`${bug.id} seems fixed (${formatReport(report)}): remove it from test/faults/known-bugs.ts`);
  }
  console.log(`K=${report.k}: known bug ${bug.id} (${bug.title})`);
}
