import { rmdirSync } from 'node:fs';
import { EXIT, UserError } from '../../errors.js';
import { applyCleanup, type CleanupResult } from '../../git/cleanup-apply.js';
import { cleanupFacts, takeInventory } from '../../git/cleanup-facts.js';
import { planCleanup, type CleanupPlan } from '../../git/cleanup-plan.js';
import { Repo } from '../../git/repo.js';
import { defaultWorktreeRoot } from '../../git/worktrees.js';
import { acquireLock, inspectLock, isRunId, readRunOverviews } from '../../journal/index.js';
import { recordedItems } from '../../journal/recorded-items.js';
import type { RunOverview } from '../../journal/run-overview.js';
import { shellWord } from '../../shell-word.js';
import { processIO, type CommandIO } from '../command-io.js';

export interface CleanOptions {
  dryRun?: boolean;
  run?: string;
  all?: boolean;
  force?: boolean;
  cwd?: string;
}

const CLEAN_COMMAND = 'ccwave clean';

interface Selection {
  targets: Map<string, string>;
  keptRuns: Array<{ runId: string; reason: string }>;
  /** Run ids with ccwave-looking branches or folders but no journal: listed, never touched. */
  unknownRuns: string[];
}

export async function cleanCommand(options: CleanOptions, io: CommandIO = processIO): Promise<number> {
  const repo = await Repo.open(options.cwd ?? process.cwd());
  // The run lock: a `ccwave run` starting now is refused until clean is done, and clean refuses
  // while a run holds it. A dry run only reads, so it neither waits for nor blocks a run.
  const lock = options.dryRun ? undefined : acquireLock(repo.dataDir, { runId: null, command: CLEAN_COMMAND });
  try {
    const overviews = readRunOverviews(repo.dataDir);
    const recorded = recordedItems(repo.dataDir, overviews);
    const inventory = await takeInventory(repo, {
      knownPaths: recorded.worktrees,
      knownBranches: recorded.branches,
      worktreeRoot: await defaultWorktreeRoot(repo),
      isRunId: isRunId,
    });
    const lockedRun = inspectLock(repo.dataDir);
    const liveRunId = lockedRun && lockedRun.liveness.alive !== false ? lockedRun.info.runId : null;
    // Run ids seen only in branch names or folders: no journal says ccwave made any of it.
    const unknownRuns = new Set([...inventory.branches, ...inventory.worktrees].map((item) => item.runId));
    for (const overview of overviews) unknownRuns.delete(overview.runId);
    if (liveRunId) unknownRuns.delete(liveRunId);

    const selection = selectRuns(options, overviews, unknownRuns);
    // Unknown runs are looked at only to say what is left alone: nothing of theirs is recorded.
    const looked = new Set([...selection.targets.keys(), ...selection.unknownRuns]);
    const cleanup = planCleanup(await cleanupFacts(repo, inventory, looked, options.force ?? false));
    return await report(options, io, selection, cleanup, async () => {
      const result = await applyCleanup(repo, cleanup);
      // ccwave named the default folder and made it: an empty one is left over, not the user's.
      removeIfEmpty(await defaultWorktreeRoot(repo));
      return result;
    });
  } finally {
    lock?.release();
  }
}

async function report(options: CleanOptions, io: CommandIO, selection: Selection, cleanup: CleanupPlan, run: () => Promise<CleanupResult>): Promise<number> {
  // A run cleaned before has nothing left: naming it again on every clean is noise.
  const withWork = runsIn(cleanup);
  for (const [runId, why] of selection.targets) if (withWork.has(runId)) io.out(`${options.dryRun ? 'Would clean' : 'Cleaning'} run ${runId} (${why})\n`);
  for (const kept of selection.keptRuns) io.out(`Keeping run ${kept.runId}: ${kept.reason}\n`);
  for (const runId of selection.unknownRuns) {
    io.out(`Not cleaning run ${runId}: ccwave has no journal of it, so its branches and worktrees are not ccwave's\n`);
  }
  if (isEmpty(cleanup)) {
    io.out('Nothing to clean.\n');
    return EXIT.ok;
  }
  if (options.dryRun) {
    io.out(describePlan(cleanup));
    io.out('Dry run: nothing was changed.\n');
    return EXIT.ok;
  }
  const result = await run();
  io.out(describeResult(cleanup, result));
  return result.failures.length > 0 ? EXIT.tasksFailed : EXIT.ok;
}

function selectRuns(options: CleanOptions, overviews: readonly RunOverview[], unknownRuns: ReadonlySet<string>): Selection {
  const selection: Selection = { targets: new Map(), keptRuns: [], unknownRuns: [] };
  const chosen = options.run;
  if (chosen !== undefined) {
    const overview = overviews.find((o) => o.runId === chosen);
    if (overview) {
      if (overview.readable && overview.activity.kind === 'live') {
        const { pid, command } = overview.activity;
        throw new UserError(`run ${chosen} is live (pid ${pid}, ${command})`, { hint: 'stop it first, or wait for it to finish' });
      }
      selection.targets.set(chosen, overview.readable ? overview.activity.kind : 'its journal is unreadable');
    } else if (unknownRuns.has(chosen)) {
      throw new UserError(`ccwave has no journal of run ${chosen}`, {
        hint: `so nothing says ccwave made its branches (ccwave/${chosen}/...) or worktrees; if they are yours to delete, use git branch -D and git worktree remove`,
      });
    } else {
      const known = overviews.map((o) => o.runId);
      throw new UserError(`there is no run ${chosen}`, {
        hint: known.length > 0 ? `known runs: ${known.join(', ')}` : 'this repository has no ccwave runs',
      });
    }
    return selection;
  }
  for (const overview of overviews) {
    if (!overview.readable) {
      selection.keptRuns.push({
        runId: overview.runId,
        reason: `its journal is unreadable (${overview.problem}); use --run ${overview.runId} to clean it anyway`,
      });
    } else if (overview.activity.kind === 'live') {
      selection.keptRuns.push({ runId: overview.runId, reason: `it is live (pid ${overview.activity.pid})` });
    } else if (overview.activity.kind === 'finished' || options.all) {
      selection.targets.set(overview.runId, overview.activity.kind);
    } else {
      selection.keptRuns.push({
        runId: overview.runId,
        reason: `${overview.activity.kind} and can be resumed; clean it with --run ${overview.runId} or --all`,
      });
    }
  }
  selection.unknownRuns.push(...unknownRuns);
  return selection;
}

function runsIn(plan: CleanupPlan): Set<string> {
  return new Set([...plan.removeWorktrees, ...plan.pruneWorktrees, ...plan.deleteBranches, ...plan.kept].map((item) => item.runId));
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or not there: either way it stays as it is.
  }
}

function isEmpty(plan: CleanupPlan): boolean {
  return plan.removeWorktrees.length + plan.pruneWorktrees.length + plan.deleteBranches.length + plan.kept.length === 0;
}

function describePlan(plan: CleanupPlan): string {
  const lines: string[] = [];
  for (const w of plan.removeWorktrees) {
    const discarding = w.discards.length > 0 ? ` (discarding ${w.discards.length} uncommitted files)` : '';
    lines.push(`would remove worktree ${shellWord(w.path)}${discarding}`);
  }
  for (const w of plan.pruneWorktrees) lines.push(`would forget worktree ${shellWord(w.path)} (its folder is gone)`);
  for (const b of plan.deleteBranches) lines.push(`would delete branch ${b.branch} (${b.why}), archiving its tip as ${b.archiveRef}`);
  for (const k of plan.kept) lines.push(`would keep ${k.kind} ${shellWord(k.name)}: ${k.reason}`);
  return `${lines.join('\n')}\n`;
}

function describeResult(plan: CleanupPlan, result: CleanupResult): string {
  const lines: string[] = [];
  for (const path of result.removedWorktrees) lines.push(`removed worktree ${shellWord(path)}`);
  for (const path of result.prunedWorktrees) lines.push(`forgot worktree ${shellWord(path)} (its folder was gone)`);
  const why = new Map(plan.deleteBranches.map((b) => [b.branch, b.why]));
  for (const b of result.deletedBranches) {
    lines.push(`deleted branch ${b.branch} (${why.get(b.branch) ?? ''}); its tip is kept as ${b.archiveRef}`);
  }
  for (const k of plan.kept) lines.push(`kept ${k.kind} ${shellWord(k.name)}: ${k.reason}`);
  for (const f of result.failures) lines.push(`could not clean ${f.kind} ${shellWord(f.name)}: ${f.reason}`);
  const worktrees = result.removedWorktrees.length + result.prunedWorktrees.length;
  const kept = plan.kept.length + result.failures.length;
  lines.push('', `Removed ${worktrees} worktree(s) and ${result.deletedBranches.length} branch(es); kept ${kept} item(s).`);
  if (result.deletedBranches.length > 0) {
    lines.push('To restore a deleted branch: git branch <name> <archive ref>  (list: git for-each-ref refs/ccwave/archive/)');
  }
  return `${lines.join('\n')}\n`;
}
