import type { CheckResult } from './check.js';
import { runClaudeChecks } from './claude-checks.js';
import { identifyAgent } from './claude-identity.js';
import type { AgentUnderTest } from './agent-under-test.js';

export interface ClaudePart {
  /** The version that was checked; undefined when no Claude Code was. */
  version: string | undefined;
  results: CheckResult[];
  /** Whether the Claude checks ran: only then does a pass say anything about this version. */
  ran: boolean;
}

/**
 * The Claude checks for the agent a run would start. A program that is not Claude Code (the fake
 * agent, a command agent) gets none: they check Claude's screens and hooks, which such an agent
 * does not have, so there is nothing to fail. That is `ok`, with the reason in the title.
 */
export async function claudePart(agent: AgentUnderTest, options: { signal?: AbortSignal; log?: (line: string) => void } = {}): Promise<ClaudePart> {
  if (agent.kind === 'none') return { version: undefined, ran: false, results: [{ id: 'claude.applies', title: `Claude checks: not run, ${agent.why}`, status: 'ok' }] };
  const shown = agent.command.join(' ');
  const identity = await identifyAgent(agent.command);
  if (identity.kind === 'other') {
    return {
      version: undefined,
      ran: false,
      results: [{ id: 'claude.applies', title: `Claude checks: not run, \`${shown}\` (${agent.from}) is not Claude Code`, status: 'ok', detail: `its --version said "${identity.said}"` }],
    };
  }
  if (identity.kind === 'unavailable') {
    return {
      version: undefined,
      ran: false,
      results: [
        {
          id: 'claude.found',
          title: `Claude Code \`${shown}\` (${agent.from}) runs`,
          status: 'failed',
          detail: `${identity.why}\ninstall Claude Code (npm install -g @anthropic-ai/claude-code), or name it with --agent-command`,
        },
      ],
    };
  }
  const { version, results } = await runClaudeChecks({ claudePath: agent.command[0]!, ...options });
  return { version: version ?? identity.version, results, ran: true };
}
