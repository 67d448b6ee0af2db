import { displayPath, formatDiagnostic } from './diagnostics.js';
import { formatSettingDuration } from '../format/duration.js';
import { formatTokens, formatUsdLimit } from '../format/usage.js';
import { effectiveOverrides } from './plan-json.js';
import { formatNotify, type NotifySettings } from './notify-setting.js';
import type { AgentSpec, Budget, Plan, SettingSource, TaskSettings } from './types.js';

const DURATION_KEYS = new Set(['timeout', 'idleTimeout', 'commandTimeout']);

export interface FormatOptions {
  cwd?: string;
  /** Shown when `base` is not set: the branch a run would start from. */
  currentBranch?: string;
  /** The worktrees folder as a run would resolve it. */
  worktreeRoot?: string;
}

/** The resolved plan as readable text: settings with where they came from, waves, tasks. */
export function formatPlan(plan: Plan, options: FormatOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const lines: string[] = [];
  lines.push(`Plan: ${plan.name}  (${displayPath(plan.file, cwd)})`, '');
  lines.push('Settings:');
  const rows: [string, string, SettingSource][] = [];
  for (const [key, value] of Object.entries(plan.settings)) {
    const shown =
      key === 'base' && value === undefined
        ? `${options.currentBranch ?? '?'} (current branch)`
        : key === 'worktrees' && options.worktreeRoot
          ? worktreesShown(value, options.worktreeRoot)
          : formatValue(key, value);
    rows.push([key, shown, plan.sources[key as keyof typeof plan.sources]]);
  }
  for (const [key, value] of Object.entries(plan.taskSettings)) {
    rows.push([key, formatValue(key, value), plan.taskSources[key as keyof TaskSettings]]);
  }
  const width = Math.max(...rows.map(([key]) => key.length));
  for (const [key, shown, source] of rows) {
    lines.push(`  ${key.padEnd(width)}  ${shown}${source === 'default' ? '' : `  [${source === 'plan' ? 'WAVES.md' : source}]`}`);
  }
  let tasks = 0;
  for (const wave of plan.waves) {
    lines.push('', `${wave.name} (${count(wave.tasks.length, 'task')})`);
    for (const task of wave.tasks) {
      tasks++;
      lines.push(`  ${task.id}  ${task.title}`);
      const facts = [task.promptPath, count(task.criteria.length, 'acceptance criterion', 'acceptance criteria')];
      if (task.requires.length) facts.push(`requires ${task.requires.join(', ')}`);
      lines.push(`    ${facts.join(' · ')}`);
      const overrides = Object.entries(effectiveOverrides(task.sources, task.settings));
      if (overrides.length) lines.push(`    overrides: ${overrides.map(([k, v]) => `${k} ${formatValue(k, v)}`).join(', ')}`);
      const ignored = Object.keys(task.overrides).filter((k) => task.sources[k as keyof TaskSettings] !== 'prompt');
      if (ignored.length) lines.push(`    not applied (set in WAVES.md or by a flag): ${ignored.join(', ')}`);
    }
  }
  if (plan.warnings.length) {
    lines.push('', ...plan.warnings.map((w) => formatDiagnostic(w, cwd)));
  }
  lines.push('', `ok: ${count(plan.waves.length, 'wave')}, ${count(tasks, 'task')}${plan.warnings.length ? `, ${count(plan.warnings.length, 'warning')}` : ''}`);
  return lines.join('\n');
}

/** The folder a run would use; a relative setting also shows what it resolves to. */
function worktreesShown(value: unknown, resolved: string): string {
  if (typeof value !== 'string') return resolved;
  return value === resolved ? value : `${value} (${resolved})`;
}

export function formatValue(key: string, value: unknown): string {
  if (value === undefined) return key === 'sandbox' ? 'off' : key === 'budget' || key === 'taskBudget' ? 'none' : '—';
  if (key === 'budget' || key === 'taskBudget') return formatBudget(value as Budget);
  if (key === 'fiveHourPause') return value === false ? 'off' : `${String(value)}%`;
  if (DURATION_KEYS.has(key) && typeof value === 'number') return formatSettingDuration(value);
  if (key === 'agent') return formatAgent(value as AgentSpec);
  if (key === 'notify') return formatNotify(value as NotifySettings);
  if (key === 'sandbox') return value ? `on, network: ${(value as { network: string[] }).network.join(', ') || 'none'}` : 'off';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '—';
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(`${key}.${k}`, v)}`)
      .join(', ');
  }
  return String(value);
}

/** `$40 or 20M tokens`: the run or task stops at whichever comes first. */
export function formatBudget(budget: Budget): string {
  const parts = [budget.usd !== undefined ? formatUsdLimit(budget.usd) : '', budget.tokens !== undefined ? `${formatTokens(budget.tokens)} tokens` : ''];
  return parts.filter(Boolean).join(' or ');
}

function formatAgent(agent: AgentSpec): string {
  if ('shell' in agent) return `command: ${agent.shell}`;
  const line = agent.command.join(' ');
  if (agent.kind === 'command') return `command: ${line}`;
  return line === agent.kind ? agent.kind : `${agent.kind} (${line})`;
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
