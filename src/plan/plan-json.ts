import type { Plan, SettingSource, TaskSettings } from './types.js';

/** The plan as plain JSON: what `ccwave validate --json` prints and the journal records. */
export function planToJson(plan: Plan) {
  return {
    name: plan.name,
    file: plan.file,
    root: plan.root,
    settings: { ...plan.settings, ...plan.taskSettings },
    sources: { ...plan.sources, ...plan.taskSources },
    waves: plan.waves.map((wave) => ({
      index: wave.index,
      name: wave.name,
      tasks: wave.tasks.map((task) => ({
        id: task.id,
        title: task.title,
        promptPath: task.promptPath,
        acceptanceCriteria: task.criteria.map((c) => c.text),
        requires: task.requires,
        overrides: effectiveOverrides(task.sources, task.settings),
        ignoredOverrides: Object.keys(task.overrides).filter((key) => task.sources[key as keyof TaskSettings] !== 'prompt'),
        settings: task.settings,
        line: task.line,
        column: task.column,
      })),
    })),
    warnings: plan.warnings,
  };
}

/** The settings a task's PROMPT.md front matter really decides (not beaten by WAVES.md or a flag). */
export function effectiveOverrides(sources: Record<keyof TaskSettings, SettingSource>, settings: TaskSettings): Partial<TaskSettings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(sources) as (keyof TaskSettings)[]) {
    if (sources[key] === 'prompt') out[key] = settings[key];
  }
  return out as Partial<TaskSettings>;
}
