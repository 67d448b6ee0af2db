import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UserError } from '../../errors.js';
import { Repo } from '../../git/repo.js';
import { Journal, latestRun, replay } from '../../journal/index.js';
import type { RunState, WaveState } from '../../journal/run-state.js';
import { loadPlan } from '../../plan/load-plan.js';
import type { Plan } from '../../plan/types.js';
import { checkRetroDestination, retroFileOf } from '../../report/retro-destination.js';
import { collectRetroFacts } from '../../report/retro-facts.js';
import { renderRetro } from '../../report/retro-markdown.js';
import { shellWord } from '../../shell-word.js';
import { processIO, type CommandIO } from '../command-io.js';

export interface RetroOptions {
  /** Only this wave (1-based); default every finished wave. */
  wave?: number;
  run?: string;
  stdout?: boolean;
  cwd?: string;
}

/** Reads the journal, the plan and git; writes the retrospectives into the checkout's retro folder, commits nothing. */
export async function retroCommand(options: RetroOptions, io: CommandIO = processIO): Promise<number> {
  const repo = await Repo.open(options.cwd ?? process.cwd());
  const runId = options.run ?? latestRun(repo.dataDir);
  if (!runId) throw new UserError('there are no ccwave runs in this repository', { hint: 'start one with: ccwave run WAVES.md' });
  const { events, warnings } = Journal.read(repo.dataDir, runId);
  for (const warning of warnings) if (!warning.atEnd) io.err(`warning: journal line ${warning.line}: ${warning.message}\n`);
  const replayed = replay(events);
  const state = replayed.runId ? replayed : { ...replayed, runId };
  const waves = selectWaves(state, options.wave);

  const plan = await loadRunPlan(repo, state.planFile);
  if (plan.problem) io.err(`note: ${plan.problem}; the retrospectives show no acceptance criteria\n`);

  const documents: Array<{ wave: number; text: string }> = [];
  for (const wave of waves) {
    documents.push({ wave: wave.index, text: renderRetro(await collectRetroFacts(repo, state, wave.index, plan.plan)) });
  }
  if (options.stdout) {
    io.out(documents.map((doc) => doc.text).join('\n'));
    return EXIT.ok;
  }
  // Every file is checked before any is written: a refusal changes nothing.
  const targets = [];
  for (const doc of documents) {
    const relative = retroFileOf(
      state,
      state.waves.find((w) => w.index === doc.wave)!,
      plan.plan?.settings.retro.dir,
    );
    targets.push({ ...doc, to: await checkRetroDestination(repo.git, repo.topLevel, relative, doc.text) });
  }
  const refused = targets.flatMap(({ to }) => ('refused' in to ? [`${to.file}: ${to.refused}`] : []));
  if (refused.length > 0) {
    throw new UserError(`not writing the retrospective${refused.length > 1 ? 's' : ''}: ${refused.join('; ')}`, { hint: 'nothing was written; --stdout prints them instead' });
  }
  for (const { text, to } of targets) {
    if (!('unchanged' in to)) {
      mkdirSync(path.dirname(to.file), { recursive: true });
      writeFileSync(to.file, text, 'utf8');
    }
    io.out(`${shellWord(to.file)}${'unchanged' in to ? ' (unchanged)' : ''}\n`);
  }
  return EXIT.ok;
}

function selectWaves(state: RunState, wave: number | undefined): WaveState[] {
  const known = state.waves.map((w) => w.index);
  const range = known.length > 0 ? `its waves are ${Math.min(...known)} to ${Math.max(...known)}` : 'it has no waves';
  if (wave !== undefined) {
    const found = state.waves.find((w) => w.index === wave);
    if (!found) throw new UserError(`run ${state.runId} has no wave ${wave}`, { hint: range });
    if (found.status === 'pending') throw new UserError(`wave ${wave} of run ${state.runId} has not started yet`, { hint: 'retrospectives exist for started waves only' });
    return [found];
  }
  const finished = state.waves.filter((w) => w.status === 'finished');
  if (finished.length === 0) {
    throw new UserError(`no wave of run ${state.runId} has finished yet`, { hint: 'pass --wave N for a partial retrospective of a running wave' });
  }
  return finished;
}

/** The run's plan as it is now, for acceptance criteria; its absence is reported, not fatal. */
async function loadRunPlan(repo: Repo, planFile: string): Promise<{ plan?: Plan; problem?: string }> {
  if (!planFile) return { problem: 'the journal names no plan file' };
  const file = path.resolve(repo.topLevel, planFile);
  if (!existsSync(file)) return { problem: `the plan ${file} no longer exists` };
  try {
    const { plan, diagnostics } = loadPlan(file);
    if (plan) return { plan };
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    return { problem: `the plan ${file} no longer loads${first ? ` (${first.message})` : ''}` };
  } catch (error) {
    return { problem: `the plan ${file} could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}
