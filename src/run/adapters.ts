import path from 'node:path';
import { createClaudeAdapter } from '../agent/claude/claude-adapter.js';
import { createCommandAdapter } from '../agent/command/command-adapter.js';
import type { AgentAdapter } from '../agent/adapter.js';
import type { TaskSettings } from '../plan/types.js';

/** The adapter that starts a task's agent, from its effective settings. */
export function adapterFor(settings: TaskSettings, root: string): AgentAdapter {
  const agent = settings.agent;
  if (agent.kind === 'claude') {
    return createClaudeAdapter({
      command: resolveProgram(agent.command, root),
      permissionMode: settings.permissionMode,
      allowedTools: settings.allowedTools,
      ...(settings.model ? { model: settings.model } : {}),
      ...(settings.verify ? { verify: { command: settings.verify } } : {}),
    });
  }
  if ('shell' in agent) return createCommandAdapter({ shell: agent.shell });
  return createCommandAdapter({ argv: resolveProgram(agent.command, root) });
}

/**
 * A relative program path in the plan (`./agent.sh`, `scripts/agent.mjs` after `node`) means the
 * repository root, not each worktree, so every task runs the same agent.
 */
function resolveProgram(argv: readonly string[], root: string): string[] {
  return argv.map((arg, i) => (i <= 1 && (arg.startsWith('./') || arg.startsWith('../')) ? path.resolve(root, arg) : arg));
}
