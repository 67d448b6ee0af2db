import { EXIT } from '../../errors.js';
import { plural } from '../../format/plural.js';
import { agentUnderTest, codexUnderTest } from '../../doctor/agent-under-test.js';
import type { CheckResult } from '../../doctor/check.js';
import { claudePart } from '../../doctor/claude-part.js';
import { runCodexChecks, type CodexChecks } from '../../doctor/codex-checks.js';
import { runEnvChecks, type EnvSubject } from '../../doctor/env-checks.js';
import { formatResults } from '../../doctor/format-results.js';
import { rememberPassedVersion } from '../../doctor/passed-versions.js';
import { sandboxProblem } from '../../run/agent-checks.js';
import { findProgram } from '../../run/preflight.js';
import { processIO, type CommandIO } from '../command-io.js';
import { DEFAULT_PLAN } from '../defaults.js';
import { nodeVersionProblem } from '../node-version.js';
import { loadPlanArgument } from '../plan-argument.js';

export interface DoctorOptions {
  /** The Claude Code to check instead of the one a run would start. */
  agentCommand?: string;
  json?: boolean;
}

/** `ccwave doctor`: what a run needs from Claude Code and this machine, checked without a token spent. */
export async function doctorCommand(options: DoctorOptions, io: CommandIO = processIO): Promise<number> {
  const subject = planSubject(process.cwd());
  const agent = agentUnderTest(subject.plan, options.agentCommand);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  const codexAgent = codexUnderTest(subject.plan);
  const log = (line: string): void => io.err(`doctor: ${line}\n`);
  let claude;
  let codex: CodexChecks | undefined;
  try {
    claude = await claudePart(agent, { signal: stop.signal, log });
    // Only for a plan that runs Codex: a Claude-only user need not have it.
    if (codexAgent && !stop.signal.aborted) codex = await runCodexChecks({ command: codexAgent.command, signal: stop.signal, log });
  } finally {
    process.off('SIGINT', onSignal);
  }
  if (stop.signal.aborted) return EXIT.interrupted;
  const planResult: CheckResult = subject.plan
    ? { id: 'env.plan', title: `plan ${DEFAULT_PLAN} loads`, status: 'ok' }
    : {
        id: 'env.plan',
        title: `plan: ${subject.noPlan}${subject.planErrors ? '' : ', so the checks of its settings are skipped'}`,
        status: subject.planErrors ? 'failed' : 'ok',
        ...(subject.planErrors ? { detail: '`ccwave validate` lists them' } : {}),
      };
  const env = await runEnvChecks(subject, { nodeVersionProblem, findProgram, sandboxProblem });
  const results = [...claude.results, ...(codex?.results ?? []), planResult, ...env];
  const ok = !results.some((r) => r.status === 'failed');
  // A pass is remembered for the version, so a later run can tell a Claude doctor has not seen.
  if (claude.ran && claude.version && !claude.results.some((r) => r.status === 'failed')) rememberPassedVersion(claude.version);
  if (codex?.version && !codex.results.some((r) => r.status === 'failed')) rememberPassedVersion(codex.version, new Date(), process.env, 'codex');
  if (options.json) {
    const codexVersion = codexAgent ? { codexVersion: codex?.version ?? null } : {};
    io.out(`${JSON.stringify({ schemaVersion: 1, claudeVersion: claude.version ?? null, ...codexVersion, results, ok }, null, 2)}\n`);
  } else {
    const header = claude.version && agent.kind === 'claude' ? `ccwave doctor: Claude Code ${claude.version} (${agent.command.join(' ')}, ${agent.from})` : 'ccwave doctor: no Claude Code checked';
    const codexHeader = codexAgent ? `; Codex CLI ${codex?.version ?? '(no version)'} (${codexAgent.command.join(' ')}, ${codexAgent.from})` : '';
    io.out(formatResults(`${header}${codexHeader}`, results));
  }
  return ok ? EXIT.ok : EXIT.tasksFailed;
}

/** The plan a run started here would use, or why there is none to check. */
function planSubject(cwd: string): EnvSubject & { planErrors: boolean } {
  const { plan, diagnostics } = loadPlanArgument(DEFAULT_PLAN, {}, cwd);
  if (plan) return { cwd, plan, noPlan: undefined, planErrors: false };
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 1 && errors[0]!.message === 'plan not found') return { cwd, plan: undefined, noPlan: `no ${DEFAULT_PLAN} here`, planErrors: false };
  return { cwd, plan: undefined, noPlan: `${DEFAULT_PLAN} has ${plural(errors.length, 'error')}`, planErrors: true };
}
