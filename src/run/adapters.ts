import path from 'node:path';
import { createClaudeAdapter, type ClaudeSandbox } from '../agent/claude/claude-adapter.js';
import { createCodexAdapter } from '../agent/codex/codex-adapter.js';
import { createCommandAdapter } from '../agent/command/command-adapter.js';
import type { AgentAdapter } from '../agent/adapter.js';
import { DEFAULT_RUN_SETTINGS } from '../plan/defaults.js';
import type { TaskSettings } from '../plan/types.js';

/**
 * The adapter that starts a task's agent, from its effective settings; `commandTimeout` limits its
 * verify command, `sandbox` is where a sandboxed agent may write. Codex takes no permission mode
 * and no tool rules (`ccwave validate` says so): it runs without approvals, in its own
 * `workspace-write` sandbox when `sandbox` is on, else unsandboxed.
 */
export function adapterFor(settings: TaskSettings, root: string, commandTimeout = DEFAULT_RUN_SETTINGS.commandTimeout, sandbox?: ClaudeSandbox): AgentAdapter {
  const agent = settings.agent;
  const verify = settings.verify ? { command: settings.verify, timeoutMs: commandTimeout } : undefined;
  if (agent.kind === 'claude') {
    return createClaudeAdapter({
      command: resolveProgram(agent.command, root),
      permissionMode: settings.permissionMode,
      allowedTools: settings.allowedTools,
      ...(settings.model ? { model: settings.model } : {}),
      ...(verify ? { verify } : {}),
      ...(sandbox ? { sandbox } : {}),
    });
  }
  if (agent.kind === 'codex') {
    return createCodexAdapter({
      command: resolveProgram(agent.command, root),
      ...(settings.model ? { model: settings.model } : {}),
      ...(verify ? { verify } : {}),
      ...(sandbox ? { sandbox: { allowWrite: sandbox.allowWrite } } : {}),
    });
  }
  if ('shell' in agent) return createCommandAdapter({ shell: agent.shell, verify });
  return createCommandAdapter({ argv: resolveProgram(agent.command, root), verify });
}

/**
 * A relative program path in the plan (`./agent.sh`, `scripts/agent.mjs` after `node`) means the
 * repository root, not each worktree, so every task runs the same agent.
 */
function resolveProgram(argv: readonly string[], root: string): string[] {
  return argv.map((arg, i) => (i <= 1 && (arg.startsWith('./') || arg.startsWith('../')) ? path.resolve(root, arg) : arg));
}
