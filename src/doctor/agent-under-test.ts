import type { Plan } from '../plan/types.js';
import { compareVersions, identifyAgent } from './claude-identity.js';
import { newestPassedVersion } from './passed-versions.js';

export type AgentUnderTest = { kind: 'claude'; command: string[]; from: string } | { kind: 'none'; why: string };

/**
 * The Claude Code a run would start: `--agent-command` when given, else the plan's first Claude
 * task's `agent` command, else `claude` on PATH (the default agent).
 */
export function agentUnderTest(plan: Plan | undefined, override?: string): AgentUnderTest {
  if (override !== undefined) return { kind: 'claude', command: [override], from: '--agent-command' };
  if (!plan) return { kind: 'claude', command: ['claude'], from: 'the default agent' };
  const task = plan.waves.flatMap((w) => w.tasks).find((t) => t.settings.agent.kind === 'claude');
  if (!task) return { kind: 'none', why: codexUnderTest(plan) ? 'no task of the plan runs Claude Code' : "the plan's agents are commands, not Claude Code" };
  const agent = task.settings.agent;
  return { kind: 'claude', command: 'command' in agent ? agent.command : ['claude'], from: `the plan (task ${task.id})` };
}

/** The Codex CLI a run would start: the plan's first Codex task's; undefined when no task runs Codex. */
export function codexUnderTest(plan: Plan | undefined): { command: string[]; from: string } | undefined {
  const task = plan?.waves.flatMap((w) => w.tasks).find((t) => t.settings.agent.kind === 'codex');
  if (!task) return undefined;
  const agent = task.settings.agent;
  return { command: 'command' in agent ? agent.command : ['codex'], from: `the plan (task ${task.id})` };
}

/**
 * One line for the start of a run when its Claude Code is newer than every version doctor passed
 * here. Quiet when doctor never passed one: there is no known-good version to be newer than, and a
 * run is no place to nag about a command never used. Quiet too for agents that are not Claude Code.
 */
export async function newerClaudeWarning(plan: Plan, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const agent = agentUnderTest(plan);
  if (agent.kind !== 'claude') return undefined;
  const newest = newestPassedVersion(env);
  if (newest === undefined) return undefined;
  const identity = await identifyAgent(agent.command);
  if (identity.kind !== 'claude' || compareVersions(identity.version, newest) <= 0) return undefined;
  return `warning: Claude Code ${identity.version} is newer than ${newest}, the newest version \`ccwave doctor\` passed on this machine; run \`ccwave doctor\` before a long run`;
}
