import type { PlanSettingsInput, PromptSettingsInput } from './settings-schema.js';
import { DEFAULT_RUN_SETTINGS, DEFAULT_TASK_SETTINGS } from './defaults.js';
import { normalizeNotify } from './notify-setting.js';
import type { AgentSpec, RunSettings, SettingSource, TaskSettings } from './types.js';

/** A window is never fuller than 100 %: a threshold of 100 never holds launches, so it means off. */
const FIVE_HOUR_PAUSE_OFF = 100;

/** Settings given on the command line; they beat everything written in files. */
export type FlagSettings = Partial<Pick<RunSettings, 'concurrency' | 'base'>> & Partial<Pick<TaskSettings, 'model' | 'permissionMode'>>;

type RawAgent = NonNullable<PlanSettingsInput['agent']>;
type RawSandbox = NonNullable<PlanSettingsInput['sandbox']>;

/** `sandbox: true` is a sandbox without network; `false` the same as leaving it out. */
function normalizeSandbox(sandbox: RawSandbox): TaskSettings['sandbox'] {
  if (sandbox === false) return undefined;
  return { network: sandbox === true ? [] : [...(sandbox.network ?? [])] };
}

export function normalizeAgent(agent: RawAgent): AgentSpec {
  if (typeof agent === 'string') {
    if (agent === 'claude' || agent === 'codex') return { kind: agent, command: [agent] };
    return { kind: 'command', shell: agent };
  }
  if (Array.isArray(agent)) return { kind: 'command', command: agent };
  if (agent.kind === 'claude' || agent.kind === 'codex') {
    const command = agent.command ?? [agent.kind];
    return { kind: agent.kind, command: typeof command === 'string' ? [command] : command };
  }
  return typeof agent.command === 'string' ? { kind: 'command', shell: agent.command } : { kind: 'command', command: agent.command };
}

/** Run settings: flags > WAVES.md front matter > defaults. */
export function effectiveRunSettings(plan: PlanSettingsInput, flags: FlagSettings): { settings: RunSettings; sources: Record<keyof RunSettings, SettingSource> } {
  const settings: RunSettings = { ...DEFAULT_RUN_SETTINGS };
  const sources = Object.fromEntries(Object.keys(settings).map((k) => [k, 'default'])) as Record<keyof RunSettings, SettingSource>;
  const take = <K extends keyof RunSettings>(key: K, value: RunSettings[K] | undefined, source: SettingSource): void => {
    if (value === undefined || sources[key] === 'flag') return;
    settings[key] = value;
    sources[key] = source;
  };
  take('base', flags.base, 'flag');
  take('concurrency', flags.concurrency, 'flag');
  take('base', plan.base, 'plan');
  take('concurrency', plan.concurrency, 'plan');
  take('features', plan.features, 'plan');
  take('worktrees', plan.worktrees, 'plan');
  take('test', plan.test, 'plan');
  take('testRetries', plan.testRetries, 'plan');
  take('commandTimeout', plan.commandTimeout, 'plan');
  take('copy', plan.copy, 'plan');
  take('land', plan.land, 'plan');
  if (plan.merge) take('merge', { ...DEFAULT_RUN_SETTINGS.merge, ...plan.merge }, 'plan');
  if (plan.retro !== undefined) {
    const retro = typeof plan.retro === 'boolean' ? { ...DEFAULT_RUN_SETTINGS.retro, enabled: plan.retro } : { ...DEFAULT_RUN_SETTINGS.retro, ...plan.retro };
    take('retro', retro, 'plan');
  }
  take('budget', plan.budget, 'plan');
  if (plan.fiveHourPause !== undefined) {
    settings.fiveHourPause = plan.fiveHourPause === false || plan.fiveHourPause >= FIVE_HOUR_PAUSE_OFF ? false : plan.fiveHourPause;
    sources.fiveHourPause = 'plan';
  }
  take('maxWaveSize', plan.maxWaveSize, 'plan');
  if (plan.notify) take('notify', normalizeNotify(plan.notify), 'plan');
  return { settings, sources };
}

/** Task settings: flags > WAVES.md front matter > the task's PROMPT.md front matter > defaults. */
export function effectiveTaskSettings(plan: PlanSettingsInput, prompt: PromptSettingsInput, flags: FlagSettings): { settings: TaskSettings; sources: Record<keyof TaskSettings, SettingSource> } {
  const settings = { ...DEFAULT_TASK_SETTINGS } as Record<keyof TaskSettings, unknown>;
  const sources = {} as Record<keyof TaskSettings, SettingSource>;
  for (const key of Object.keys(DEFAULT_TASK_SETTINGS) as (keyof TaskSettings)[]) {
    const layers: [SettingSource, unknown][] = [
      ['flag', (flags as Record<string, unknown>)[key]],
      ['plan', plan[key]],
      ['prompt', prompt[key]],
    ];
    const found = layers.find(([, value]) => value !== undefined);
    sources[key] = found ? found[0] : 'default';
    if (found) settings[key] = key === 'agent' ? normalizeAgent(found[1] as RawAgent) : key === 'sandbox' ? normalizeSandbox(found[1] as RawSandbox) : found[1];
  }
  return { settings: settings as unknown as TaskSettings, sources };
}
