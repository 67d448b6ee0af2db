import { visibleControls } from '../control-chars.js';
import { plural } from '../format/plural.js';
import { code, durationOrDash, fenced, formatTime, listOf, shaCode, tableRow } from './markdown-text.js';
import type { RetroFacts, TestFacts } from './retro-types.js';
import { taskSection, testVerdict } from './retro-task-section.js';
import { watchText } from './retro-watch-text.js';
import { formatTokens } from '../format/usage.js';
import { totalTokens, type Usage } from '../journal/usage.js';
import { usageCells, usageText } from '../journal/usage-text.js';

/** `## Wave 2: building blocks` is named "Wave 2: building blocks"; the title already says "Wave 2". */
const WAVE_PREFIX = /^wave\s+\d+\s*[:.\-–—]?\s*/i;

/**
 * The retrospective of one wave as Markdown. Pure and deterministic: every time and name comes
 * from the facts, never from the clock, so the same journal always renders the same text.
 */
export function renderRetro(facts: RetroFacts): string {
  const sections = [
    header(facts),
    summaryTable(facts),
    ['## Tasks', ...facts.tasks.flatMap((task) => ['', ...taskSection(task, facts.planLoaded)])],
    totals(facts),
    phases(facts),
    conflicts(facts),
    testRuns(facts),
    watch(facts),
  ];
  // Subjects, file names and agents' messages are in there: no byte of them may act on a viewer.
  return visibleControls(`${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`);
}

export function retroTitle(facts: Pick<RetroFacts, 'wave'>): string {
  const name = facts.wave.name.replace(WAVE_PREFIX, '').trim();
  return `Wave ${facts.wave.index} retrospective${name ? `: ${name}` : ''}`;
}

function header(facts: RetroFacts): string[] {
  const { wave } = facts;
  const finished = wave.complete && wave.endedAt ? `${formatTime(wave.endedAt)} (${durationOrDash(facts.phases.waveMs)})` : `not yet (the wave is ${wave.status}; this retrospective is partial)`;
  return [
    `# ${retroTitle(facts)}`,
    '',
    `- Plan: ${facts.planName || '(unnamed)'} (${code(facts.planFile)})`,
    `- Run: ${code(facts.runId)}`,
    `- Started: ${formatTime(wave.startedAt)}`,
    `- Finished: ${finished}`,
    `- Integration: ${shaCode(wave.fromSha)} → ${shaCode(wave.integrationSha)}`,
  ];
}

function summaryTable(facts: RetroFacts): string[] {
  // Token and dollar columns only when some agent reported usage: a run of plain commands has none.
  const usage = facts.usage !== undefined;
  const rows = facts.tasks.map((task) => {
    const lastTest = task.tests.at(-1);
    const cells = task.usage && usageCells(task.usage);
    const spent = usage ? [cells?.tokens ?? '—', cells?.cost ?? '—'] : [];
    return tableRow([
      code(task.id),
      task.status,
      durationOrDash(task.durationMs),
      task.commits === undefined ? '—' : String(task.commits),
      task.merge?.status ?? '—',
      lastTest ? testVerdict(lastTest) : '—',
      ...spent,
    ]);
  });
  const head = ['Task', 'Status', 'Time', 'Commits', 'Merge', 'Tests', ...(usage ? ['Tokens', 'Est. cost'] : [])];
  return ['## Summary', '', tableRow(head), `|${' --- |'.repeat(head.length)}`, ...rows];
}

function totals(facts: RetroFacts): string[] {
  const { totals: t } = facts;
  const byStatus = t.byStatus.map((entry) => `${entry.count} ${entry.status}`).join(', ');
  const byMerge = t.byMerge.map((entry) => `${entry.count} ${entry.status}`).join(', ');
  const lines = ['## Wave totals', '', `- Tasks: ${t.tasks}${byStatus ? ` (${byStatus})` : ''}`, `- Merges: ${byMerge || 'none'}`, `- Commits: ${t.commits}`];
  if (facts.usage) {
    lines.push(`- Tokens: ${tokenBreakdown(facts.usage.wave)}`);
    const wave = facts.usage.wave;
    lines.push(`- Estimated cost: ${usageCells(wave).cost}${wave.costUnknown ? ' (Codex reports no cost)' : ''}`);
    lines.push(`- Run so far: ${usageText(facts.usage.run)}`);
    lines.push('', USAGE_NOTE);
  }
  return lines;
}

/** What the figures are, once per retrospective: the dollars are not a bill. */
const USAGE_NOTE =
  "_Tokens are summed from each agent's Claude Code transcript (input, output and cache, as the API reported them). The cost is Claude Code's own estimate at API list prices; a subscription is not billed it._";

/** "34.2k (input 1.2k, output 3k, cache writes 10k, cache reads 20k)". */
function tokenBreakdown(usage: Usage): string {
  const { input, output, cacheCreation, cacheRead } = usage.tokens;
  return `${formatTokens(totalTokens(usage.tokens))} (input ${formatTokens(input)}, output ${formatTokens(output)}, cache writes ${formatTokens(cacheCreation)}, cache reads ${formatTokens(cacheRead)})`;
}

function phases(facts: RetroFacts): string[] {
  const { phases: p } = facts;
  return [
    '## Time per phase',
    '',
    tableRow(['Phase', 'Time']),
    '| --- | --- |',
    tableRow(['Agents', durationOrDash(p.agentsMs)]),
    tableRow(['Merge queue', durationOrDash(p.mergeMs)]),
    tableRow(['Tests', `${durationOrDash(p.testsMs)} (${plural(facts.tests.runs.length, 'run')})`]),
    tableRow(['Whole wave', durationOrDash(p.waveMs)]),
  ];
}

function conflicts(facts: RetroFacts): string[] {
  const lines = ['## Conflicts', ''];
  if (facts.conflicts.length === 0) return [...lines, 'None.'];
  for (const conflict of facts.conflicts) {
    const outcome = conflict.resolved ? ': resolved by its agent, then merged' : ': not merged';
    lines.push(`- ${code(conflict.task)}: ${conflict.paths.map(code).join(', ') || 'files not recorded'}${outcome}`);
  }
  return lines;
}

function testRuns(facts: RetroFacts): string[] {
  const { tests } = facts;
  const lines = ['## Test runs', ''];
  if (tests.runs.length === 0) return [...lines, 'No test runs.'];
  lines.push(`${plural(tests.runs.length, 'run')}, ${tests.failed} failed.`);
  if (tests.baseFailing) lines.push('', "**The tests were already failing on the wave's base**, before any task was merged.");
  const commands = [...new Set(tests.runs.map((test) => test.command).filter(Boolean))];
  if (commands.length === 1 && commands[0]) lines.push('', `Command: ${code(commands[0])}`);
  lines.push('', ...tests.runs.map((test) => `- ${testLine(test, commands.length > 1)}`));
  for (const test of tests.runs) {
    if (test.outputTail) lines.push('', `### Output of ${code(test.testId)} (last lines)`, '', ...fenced(test.outputTail));
  }
  return lines;
}

function testLine(test: TestFacts, withCommand: boolean): string {
  const what = test.onBase ? "the wave's base" : test.tasks.length > 0 ? listOf(test.tasks.map(code)) : 'no task';
  const time = test.durationMs === undefined ? '' : ` in ${durationOrDash(test.durationMs)}`;
  const command = withCommand && test.command ? ` (${code(test.command)})` : '';
  return `${code(test.testId)} on ${shaCode(test.sha)} for ${what}: ${testVerdict(test)}${time}${command}`;
}

function watch(facts: RetroFacts): string[] {
  const items = facts.watch.map((item) => `- ${watchText(item)}`);
  return ['## What to watch next wave', '', ...(items.length > 0 ? items : ['- Nothing stood out.'])];
}
