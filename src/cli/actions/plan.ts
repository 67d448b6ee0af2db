import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { plural } from '../../format/plural.js';
import { GitExec } from '../../git/exec.js';
import { mergedTasks } from '../../git/merged-tasks.js';
import { currentBranch, revParse } from '../../git/refs.js';
import { Repo } from '../../git/repo.js';
import { EXIT } from '../../errors.js';
import { DEFAULT_RUN_SETTINGS } from '../../plan/defaults.js';
import { Diagnostics, START, formatDiagnostic, type Diagnostic } from '../../plan/diagnostics.js';
import type { MergedInfo } from '../../plan/feature-graph.js';
import { parseFrontMatter } from '../../plan/front-matter.js';
import { planFeatures } from '../../plan/plan-features.js';
import { explainPlan, featurePlanToJson, PLAN_JSON_VERSION } from '../../plan/plan-output.js';
import { readText } from '../../plan/read-text.js';
import { enclosingRepoRoot, isInside, toPosix } from '../../plan/repo-root.js';
import { splitMarkdown } from '../../plan/sections.js';
import { planSettingsSchema, type PlanSettingsInput } from '../../plan/settings-schema.js';
import type { AgentTimeouts } from '../../agent/session-types.js';
import { processIO, type CommandIO } from '../command-io.js';
import { reviewDraft, reviewText, type ReviewReport } from './plan-review.js';
import { DEFAULT_PLAN } from '../defaults.js';

export interface PlanOptions {
  features?: string;
  /** The plan to write, or `-` for standard output. */
  out?: string;
  explain?: boolean;
  json?: boolean;
  /** One session of the plan's agent reviews the draft and may move features. */
  agent?: boolean;
}

const STDOUT = '-';

/** `ccwave plan`: writes WAVES.md from the feature folders; returns the exit code. */
export async function planCommand(options: PlanOptions, io: CommandIO = processIO, cwd = process.cwd(), reviewTimeouts?: AgentTimeouts): Promise<number> {
  const root = enclosingRepoRoot(cwd) ?? cwd;
  const out = options.out ?? DEFAULT_PLAN;
  const outFile = out === STDOUT ? undefined : path.resolve(cwd, out);
  // Printing shows what would be written to the default plan, so it starts from that file too.
  const planFile = outFile ?? path.resolve(cwd, DEFAULT_PLAN);
  const diagnostics = new Diagnostics();
  const existing = existsSync(planFile) ? readText(planFile, diagnostics, 'plan') : undefined;
  const settings = existing !== undefined ? existingSettings(planFile, existing, diagnostics) : {};
  const features = featuresFolder(options.features, settings, { cwd, root, outFile: planFile, existing: existing !== undefined }, diagnostics);
  if (diagnostics.hasErrors || settings === undefined || features === undefined) return failed(diagnostics.sorted(), options, io, cwd);

  const merged = await mergedIntoBase(root, settings.base);
  const result = planFeatures({
    featuresDir: features.dir,
    root,
    merged,
    ...(settings.maxWaveSize !== undefined ? { maxWaveSize: settings.maxWaveSize } : {}),
    ...(existing !== undefined ? { existing } : {}),
    ...(features.setting !== undefined ? { featuresSetting: features.setting } : {}),
  });
  if (!result.plan) return failed(result.diagnostics, options, io, cwd);
  let { plan } = result;
  // A plan without waves would not validate: with everything merged there is nothing to write.
  const nothingLeft = plan.assignment.waves.length === 0;
  let review: ReviewReport | undefined;
  if (options.agent && !nothingLeft) {
    const render = { ...(existing !== undefined ? { existing } : {}), ...(features.setting !== undefined ? { featuresSetting: features.setting } : {}) };
    ({ plan, report: review } = await reviewDraft({ plan, root, featuresDir: features.dir, settings, render, ...(reviewTimeouts ? { timeouts: reviewTimeouts } : {}) }));
    // The difference from the draft comes before the plan is written.
    if (!options.json) (outFile ? io.out : io.err)(reviewText(review));
  }
  if (outFile && !nothingLeft) writeFileSync(outFile, plan.text);
  if (options.json) {
    const json = featurePlanToJson(plan, result.diagnostics, nothingLeft ? null : (outFile ?? null));
    io.out(`${JSON.stringify(review ? { ...json, review } : json, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const warning of result.diagnostics) io.err(`${formatDiagnostic(warning, cwd)}\n`);
  if (nothingLeft) {
    if (options.explain) io.out(explainPlan(plan));
    io.out(`nothing left to plan: all ${plural(plan.done.length, 'feature')} already merged; ${outFile ? `${path.relative(cwd, outFile) || outFile} not written` : 'no plan printed'}\n`);
    return EXIT.ok;
  }
  if (!outFile) io.out(plan.text);
  const notes = outFile ? io.out : io.err;
  if (options.explain) notes(explainPlan(plan));
  const planned = plan.assignment.waves.reduce((n, w) => n + w.features.length, 0);
  const left = plan.done.length > 0 ? `; ${plural(plan.done.length, 'feature')} already merged left out` : '';
  notes(`${outFile ? `wrote ${path.relative(cwd, outFile) || outFile}` : 'planned'}: ${plural(planned, 'feature')} in ${plural(plan.assignment.waves.length, 'wave')}${left}\n`);
  return EXIT.ok;
}

function failed(diagnostics: Diagnostic[], options: PlanOptions, io: CommandIO, cwd: string): number {
  if (options.json) {
    io.out(`${JSON.stringify({ schemaVersion: PLAN_JSON_VERSION, ok: false, diagnostics }, null, 2)}\n`);
    return EXIT.usage;
  }
  for (const diagnostic of diagnostics) io.err(`${formatDiagnostic(diagnostic, cwd)}\n`);
  io.err(`\n${plural(diagnostics.filter((d) => d.severity === 'error').length, 'error')}: no plan written\n`);
  return EXIT.usage;
}

/** The run settings of the plan being rewritten: its `features`, `base` and `maxWaveSize` apply. */
function existingSettings(file: string, text: string, diagnostics: Diagnostics): PlanSettingsInput | undefined {
  const { frontMatter } = splitMarkdown(text.replace(/\r\n/g, '\n'));
  if (!frontMatter) return {};
  const parsed = parseFrontMatter({ file, ...frontMatter, kind: 'plan' }, planSettingsSchema, diagnostics);
  return parsed?.settings;
}

/**
 * The features folder: `--features` (from the working folder), else the plan's setting (from the
 * repository root). A new plan records a non-default folder in its front matter, so `run` finds it.
 */
function featuresFolder(
  flag: string | undefined,
  settings: PlanSettingsInput | undefined,
  where: { cwd: string; root: string; outFile: string; existing: boolean },
  diagnostics: Diagnostics,
): { dir: string; setting?: string } | undefined {
  const fromPlan = settings?.features !== undefined ? path.resolve(where.root, settings.features) : undefined;
  const dir = flag !== undefined ? path.resolve(where.cwd, flag) : (fromPlan ?? path.resolve(where.root, DEFAULT_RUN_SETTINGS.features));
  if (!isInside(where.root, dir)) {
    diagnostics.error(dir, START, 'the features folder is outside the repository', 'task specs must live in the repository the run works on');
    return undefined;
  }
  const relative = toPosix(path.relative(where.root, dir)) || '.';
  if (fromPlan !== undefined && fromPlan !== dir) {
    diagnostics.error(where.outFile, START, `the plan's front matter says \`features: ${settings!.features}\`, not \`${relative}\``, 'change `features:` in the front matter, or leave out --features');
    return undefined;
  }
  const isDefault = relative === DEFAULT_RUN_SETTINGS.features;
  // The front matter of an existing plan is kept as written: it must name the folder itself.
  if (fromPlan === undefined && !isDefault && where.existing) {
    diagnostics.error(where.outFile, START, `the plan has no \`features: ${relative}\` setting, so a run would not find these features`, `add \`features: ${relative}\` to its front matter`);
    return undefined;
  }
  return fromPlan === undefined && !isDefault ? { dir, setting: relative } : { dir };
}

/** Tasks merged into base; none outside a repository or before its first commit. */
async function mergedIntoBase(root: string, base: string | undefined): Promise<Map<string, MergedInfo>> {
  if (enclosingRepoRoot(root) === undefined) return new Map();
  const repo = await Repo.open(root);
  const branch = base ?? (await currentBranch(new GitExec(root)));
  const sha = await revParse(repo.git, branch ?? 'HEAD');
  return sha === undefined ? new Map() : mergedTasks(repo, sha);
}
