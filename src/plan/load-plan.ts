import { existsSync } from 'node:fs';
import path from 'node:path';
import { Diagnostics, START, type Diagnostic } from './diagnostics.js';
import { readText } from './read-text.js';
import { parseWaves } from './parse-waves.js';
import { checkPlanShape } from './plan-shape.js';
import { parsePrompt, type DependencyRef } from './parse-prompt.js';
import { parseFrontMatter } from './front-matter.js';
import { planSettingsSchema, promptSettingsSchema, type PlanSettingsInput, type PromptSettingsInput } from './settings-schema.js';
import { effectiveRunSettings, effectiveTaskSettings, type FlagSettings } from './effective.js';
import { FeatureFolders, resolveTaskRef } from './resolve-task.js';
import { checkDependencies } from './dependencies.js';
import { branchNameProblem } from './task-id.js';
import { enclosingRepoRoot, isInside, realOr, toPosix } from './repo-root.js';
import { confinedValueProblems } from './confined-values.js';
import { firstPlaceholderLine } from './template-placeholders.js';
import { webhookLabel, writtenOutWebhooks } from './notify-setting.js';
import type { Plan, Task, Wave } from './types.js';

export interface LoadPlanResult {
  /** Present only when there are no errors. */
  plan?: Plan;
  /** Errors and warnings, sorted by file and position. */
  diagnostics: Diagnostic[];
}

/**
 * Reads WAVES.md and every PROMPT.md it names, checks everything, and returns the typed plan or
 * all the problems found. Reads files only: nothing in git is touched. `repoOutside` is the
 * repository a plan file outside any repository works on (default: the plan's own folder).
 */
export function loadPlan(planFile: string, flags: FlagSettings = {}, options: { repoOutside?: string } = {}): LoadPlanResult {
  const file = path.resolve(planFile);
  const diagnostics = new Diagnostics();
  const text = readText(file, diagnostics, 'plan');
  if (text === undefined || !checkPlanShape(text, file, diagnostics)) return { diagnostics: diagnostics.sorted() };

  const raw = parseWaves(text, file, diagnostics);
  // A plan kept outside any repository works on `repoOutside` (the one ccwave was started in).
  const root = enclosingRepoRoot(path.dirname(file)) ?? options.repoOutside ?? path.dirname(file);
  const confined = (value: unknown) => confinedValueProblems(value, root, 'plan');
  const parsed = raw.frontMatter ? parseFrontMatter({ file, ...raw.frontMatter, kind: 'plan' }, planSettingsSchema, diagnostics, confined) : undefined;
  const planSettings: PlanSettingsInput = parsed?.settings ?? {};
  const { settings, sources } = effectiveRunSettings(planSettings, flags);
  const features = new FeatureFolders(path.resolve(root, settings.features));
  for (const webhook of writtenOutWebhooks(settings.notify)) {
    diagnostics.warning(
      file,
      parsed?.keyAt.notify ?? START,
      `the webhook to ${webhookLabel(webhook)} is written out in full: the plan and each run's journal keep its URL`,
      'if its path is a secret, put the URL in an environment variable and write "${NAME}": it is read only when sending',
    );
  }

  if (raw.waves.length === 0) {
    diagnostics.error(file, START, 'the plan has no waves', 'start a wave with a `## Wave 1` heading followed by a list of features');
  }
  const realRoot = realOr(root);
  const seen = new Map<string, { wave: number; line: number }>();
  const waves: Wave[] = [];
  const requiresOf = new Map<string, DependencyRef[]>();
  raw.waves.forEach((rawWave, i) => {
    const wave: Wave = { index: i + 1, name: rawWave.name, tasks: [] };
    waves.push(wave);
    if (rawWave.tasks.length === 0) {
      diagnostics.error(file, rawWave.at, `\`## ${rawWave.name}\` has no tasks`, 'list its features under the heading, like `- feature-001-login`, or remove the heading');
    }
    for (const ref of rawWave.tasks) {
      const resolved = resolveTaskRef(ref, { planFile: file, root, features }, diagnostics);
      if (!resolved) continue;
      const earlier = seen.get(resolved.id);
      if (earlier) {
        diagnostics.error(file, ref.at, `\`${resolved.id}\` is already in wave ${earlier.wave} (line ${earlier.line})`, 'a task can be in only one wave');
        continue;
      }
      seen.set(resolved.id, { wave: wave.index, line: ref.at.line });
      const problem = branchNameProblem(resolved.id);
      if (problem) {
        diagnostics.error(file, ref.at, `feature id \`${resolved.id}\` cannot be a git branch name: it ${problem}`, 'rename the feature folder');
        continue;
      }
      if (!existsSync(resolved.promptFile)) {
        diagnostics.error(
          file,
          ref.at,
          `\`${resolved.id}\` has no PROMPT.md: ${toPosix(path.relative(root, resolved.promptFile))} does not exist`,
          'write it in the featmgmt template (`ccwave init` writes an example)',
        );
        continue;
      }
      if (!isInside(realRoot, realOr(resolved.promptFile))) {
        diagnostics.error(
          file,
          ref.at,
          `the PROMPT.md of \`${resolved.id}\` leads outside the repository through a symlink (to ${realOr(resolved.promptFile)})`,
          'task specs must live in the repository the run works on',
        );
        continue;
      }
      const loaded = loadTask(resolved.id, resolved.promptFile, resolved.title, wave.index, ref.at, { root, planSettings, flags }, diagnostics);
      if (!loaded) continue;
      wave.tasks.push(loaded.task);
      requiresOf.set(loaded.task.id, loaded.requires);
    }
  });

  const allTasks = waves.flatMap((w) => w.tasks);
  const requires = checkDependencies(
    allTasks.map((t) => ({ id: t.id, wave: t.wave, promptFile: t.promptFile, requires: requiresOf.get(t.id) ?? [] })),
    features.names,
    diagnostics,
  );
  for (const task of allTasks) task.requires = requires.get(task.id) ?? [];

  const sorted = diagnostics.sorted();
  if (diagnostics.hasErrors) return { diagnostics: sorted };
  const name = raw.name ?? path.basename(file, path.extname(file));
  const planWide = effectiveTaskSettings(planSettings, {}, flags);
  return {
    plan: { file, root, name, settings, sources, taskSettings: planWide.settings, taskSources: planWide.sources, settingAt: parsed?.keyAt ?? {}, waves, warnings: sorted },
    diagnostics: sorted,
  };
}

function loadTask(
  id: string,
  promptFile: string,
  title: string | undefined,
  wave: number,
  at: { line: number; column: number },
  context: { root: string; planSettings: PlanSettingsInput; flags: FlagSettings },
  diagnostics: Diagnostics,
): { task: Task; requires: DependencyRef[] } | undefined {
  const text = readText(promptFile, diagnostics, 'PROMPT.md');
  if (text === undefined) return undefined;
  const prompt = parsePrompt(text);
  const parsed = prompt.frontMatter
    ? parseFrontMatter({ file: promptFile, ...prompt.frontMatter, kind: 'prompt' }, promptSettingsSchema, diagnostics, (value) => confinedValueProblems(value, context.root, 'prompt'))
    : { settings: {}, keyAt: {} };
  if (parsed === undefined) return undefined;
  const overrides: PromptSettingsInput = parsed.settings;
  if (!prompt.title) {
    diagnostics.warning(promptFile, START, 'no `# Feature: <name>` title', 'the title in WAVES.md or the folder name is used');
  }
  const placeholder = firstPlaceholderLine(text);
  if (placeholder !== undefined) {
    diagnostics.warning(
      promptFile,
      { line: placeholder, column: 1 },
      'this is still the placeholder text of the starter template',
      'describe the real feature: this file is what the agent is given as its task',
    );
  }
  if (!prompt.hasCriteriaSection || prompt.criteria.length === 0) {
    diagnostics.warning(promptFile, START, 'no acceptance criteria', "add `## Acceptance Criteria` with `- [ ]` items: they are the agent's definition of done");
  }
  const { settings, sources } = effectiveTaskSettings(context.planSettings, overrides, context.flags);
  const task: Task = {
    id,
    title: title ?? prompt.title ?? id,
    wave,
    promptFile,
    promptPath: toPosix(path.relative(context.root, promptFile)),
    prompt: prompt.body,
    criteria: prompt.criteria,
    requires: [],
    overrides: { ...overrides },
    settings,
    sources,
    settingAt: parsed.keyAt,
    line: at.line,
    column: at.column,
  };
  return { task, requires: prompt.requires };
}
