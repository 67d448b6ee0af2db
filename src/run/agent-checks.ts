import { execFile } from 'node:child_process';
import { planCommandRules } from '../agent/claude/command-rules.js';
import { permissionModeProblem } from '../agent/claude/permission-modes.js';
import { START, type Diagnostic } from '../plan/diagnostics.js';
import type { Plan, Task } from '../plan/types.js';
import { findProgram } from './preflight.js';
import { planCommands } from './plan-commands.js';

const SANDBOX_PROBE_TIMEOUT_MS = 10_000;

/**
 * What only the machine can tell about a plan's agents, for `validate` and the start of a run:
 * whether the installed Claude has each task's permission mode, whether its sandbox can work here,
 * and which of the plan's commands no permission rule can allow.
 */
export async function checkAgents(plan: Plan): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  const seen = new Set<string>();
  const once = (d: Diagnostic): void => {
    const key = `${d.file}:${d.line}:${d.message}`;
    if (!seen.has(key)) found.push(d);
    seen.add(key);
  };
  const claudeTasks = plan.waves.flatMap((w) => w.tasks).filter((t) => t.settings.agent.kind === 'claude');
  const modeProblems = new Map<string, ReturnType<typeof permissionModeProblem>>();
  for (const task of claudeTasks) {
    const { agent, permissionMode } = task.settings;
    const command = agent.kind === 'claude' ? agent.command : [];
    const key = JSON.stringify([command, permissionMode]);
    if (!modeProblems.has(key)) modeProblems.set(key, permissionModeProblem(command, permissionMode));
    const problem = await modeProblems.get(key);
    if (problem) once({ severity: 'error', ...where(plan, task, 'permissionMode'), ...problem });
    for (const skipped of planCommandRules(planCommands(plan.settings.test, task.settings)).skipped) {
      once({
        severity: 'warning',
        ...where(plan, task, skipped.role),
        message: `the ${skipped.role} command is not pre-allowed for Claude: ${skipped.reason}`,
        hint: 'the agent gets a permission prompt when it runs it; add a rule to `allowedTools` if it should not',
      });
    }
  }
  const sandboxed = claudeTasks.filter((t) => t.settings.sandbox);
  if (sandboxed.length > 0) {
    const problem = await sandboxProblem();
    if (problem) once({ severity: 'error', ...where(plan, sandboxed[0]!, 'sandbox'), ...problem });
  }
  for (const task of plan.waves.flatMap((w) => w.tasks)) {
    if (task.settings.agent.kind === 'codex') {
      for (const d of codexSettingProblems(plan, task)) once(d);
      continue;
    }
    if (task.settings.sandbox && task.settings.agent.kind !== 'claude') {
      once({
        severity: 'warning',
        ...where(plan, task, 'sandbox'),
        message: `task ${task.id} runs a command agent, which \`sandbox\` does not confine`,
        hint: "the sandbox is Claude Code's own; a command agent runs as you, unconfined",
      });
    }
  }
  return found;
}

/**
 * Settings only Claude Code has, on a Codex task: an error where the task's own PROMPT.md sets
 * them (they were meant for it), a warning where it inherits them from WAVES.md (a plan that mixes
 * agents sets them for its Claude tasks). Codex's sandbox has no list of allowed domains.
 */
function codexSettingProblems(plan: Plan, task: Task): Diagnostic[] {
  const found: Diagnostic[] = [];
  const sources = task.sources;
  const claudeOnly = [
    { key: 'permissionMode', what: 'a Claude Code permission mode', hint: 'Codex runs without approval prompts (`-a never`); leave `permissionMode` out, or use `sandbox: true` to confine it' },
    { key: 'allowedTools', what: 'Claude Code tool rules', hint: 'Codex has no tool rules; leave `allowedTools` out, or use `sandbox: true` to confine it' },
  ] as const;
  for (const { key, what, hint } of claudeOnly) {
    if (sources[key] === 'default') continue;
    const own = sources[key] === 'prompt';
    found.push({
      severity: own ? 'error' : 'warning',
      ...where(plan, task, key),
      message: own ? `task ${task.id} runs Codex, which has no \`${key}\` (${what})` : `task ${task.id} runs Codex: \`${key}\` (${what}) does not apply to it and is ignored`,
      hint,
    });
  }
  if (task.settings.taskBudget?.usd !== undefined) {
    found.push({
      severity: 'warning',
      ...where(plan, task, 'taskBudget'),
      message: `task ${task.id} runs Codex, which reports no cost: a dollar budget never stops it`,
      hint: 'give it a token budget (`taskBudget: { tokens: 2M }`)',
    });
  }
  if ((task.settings.sandbox?.network.length ?? 0) > 0) {
    found.push({
      severity: 'error',
      ...where(plan, task, 'sandbox'),
      message: `task ${task.id} runs Codex, whose sandbox cannot allow single domains`,
      hint: 'use `sandbox: true` (no network) for Codex tasks',
    });
  }
  return found;
}

/** Claude's sandbox on Linux needs bubblewrap (and user namespaces to run it) and socat. */
export async function sandboxProblem(): Promise<{ message: string; hint: string } | undefined> {
  if (process.platform === 'darwin') return undefined;
  if (process.platform !== 'linux') return { message: `Claude Code's sandbox does not run on ${process.platform}`, hint: 'run ccwave on Linux, macOS or WSL2, or turn `sandbox` off' };
  const missing = ['bwrap', 'socat'].filter((program) => !findProgram(program, process.cwd()));
  if (missing.length > 0) {
    return {
      message: `Claude Code's sandbox needs ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed`,
      hint: 'install them (Debian/Ubuntu: sudo apt-get install bubblewrap socat), or turn `sandbox` off',
    };
  }
  const failure = await new Promise<string | undefined>((resolve) => {
    execFile('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--', 'true'], { timeout: SANDBOX_PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, _stdout, stderr) => {
      resolve(error ? String(stderr).trim().split('\n')[0] || error.message : undefined);
    });
  });
  if (failure) {
    return {
      message: `bubblewrap cannot make a sandbox on this machine: ${failure}`,
      hint: 'unprivileged user namespaces must be allowed (sysctl kernel.unprivileged_userns_clone=1; inside a container, run it with them), or turn `sandbox` off',
    };
  }
  return undefined;
}

/** The file and line where a task's setting was written: its PROMPT.md, else WAVES.md. */
function where(plan: Plan, task: Task, key: string): Pick<Diagnostic, 'file' | 'line' | 'column'> {
  const sources = { ...plan.sources, ...task.sources } as Record<string, string>;
  if (sources[key] === 'prompt') return { file: task.promptFile, ...(task.settingAt[key] ?? START) };
  return { file: plan.file, ...(plan.settingAt[key] ?? { line: task.line, column: task.column }) };
}
