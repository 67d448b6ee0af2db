/** The agent host's public surface: what the scheduler, the CLI and the demo use. */
export type { AgentAdapter, AgentTask, LaunchFile, LaunchSpec } from './adapter.js';
export { createClaudeAdapter, GIT_COMMIT_TOOLS, type ClaudeAdapterOptions, type ClaudePermissionMode } from './claude/claude-adapter.js';
export { preTrustPath } from './claude/pre-trust.js';
export { claudeScreenRules21 } from './claude/screen-rules-2.1.js';
export { createCommandAdapter, type CommandAdapterOptions } from './command/command-adapter.js';
export { systemClock, type Clock } from './deadline.js';
export type { PermissionPolicy } from './dialog-policy.js';
export type { HookEvent } from './hook-event.js';
export { PtyRegistry, installProcessCleanup } from './pty-registry.js';
export type { ScreenClass, ScreenRules } from './screen-class.js';
export { runAgentTask } from './session.js';
export {
  DEFAULT_POLICY,
  type SessionAction,
  type AgentEvent,
  type AgentPolicy,
  type AgentResult,
  type AgentStatus,
  type AgentTimeouts,
  type RunAgentTaskOptions,
} from './session-types.js';
export type { AgentState } from './state.js';
export { taskFiles } from './task-files.js';
export { gitWorktreeProbe, type WorktreeProbe } from './worktree-probe.js';
