import type { PlanCommand } from '../adapter.js';

/**
 * The plan's own commands (test, setup, verify) as Claude `Bash(...)` permission rules, so an
 * unattended agent can run the tests that define its work without a prompt nobody answers.
 *
 * Only exact rules: `Bash(npm test)` allows `npm test` and nothing else. Claude checks each part of
 * a chained command on its own, so `npm test; rm -rf ~` or `npm test > /etc/x` still prompts (checked
 * on 2.1.330 and 2.1.332). A rule with more arguments (`Bash(npm test *)`) is not made: for a setup
 * like `rm -rf build` it would also allow `rm -rf build /`. Users who want that write it themselves.
 */
export interface CommandRules {
  rules: string[];
  /** Commands no exact rule can express, with the reason. */
  skipped: { role: string; command: string; reason: string }[];
}

/** A `*` in a rule is Claude's wildcard; a rule spans one line. */
function unrepresentable(command: string): string | undefined {
  if (/[\r\n]/.test(command)) return 'it spans several lines, and a rule is one line';
  if (command.includes('*')) return 'it contains `*`, which a Claude rule reads as "anything"';
  // Control characters never belong in a rule (or on the agent's screen).
  if (/[\u0000-\u001f\u007f]/.test(command)) return 'it contains control characters';
  return undefined;
}

/**
 * `a && b`: the whole line, and each part, exactly. Splitting stops at quotes, so `echo "x && y"`
 * stays whole.
 */
function andParts(command: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '\\') i++;
    else if (c === '&' && command[i + 1] === '&') {
      parts.push(command.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  if (quote) return [];
  parts.push(command.slice(start).trim());
  return parts.length > 1 && parts.every((p) => p !== '') ? parts : [];
}

export function planCommandRules(commands: readonly PlanCommand[]): CommandRules {
  const rules = new Set<string>();
  const skipped: CommandRules['skipped'] = [];
  for (const { role, command } of commands) {
    const line = command.trim();
    if (line === '') continue;
    const reason = unrepresentable(line);
    if (reason) {
      skipped.push({ role, command: line, reason });
      continue;
    }
    rules.add(`Bash(${line})`);
    for (const part of andParts(line)) rules.add(`Bash(${part})`);
  }
  return { rules: [...rules], skipped };
}
