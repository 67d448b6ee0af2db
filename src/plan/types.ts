import type { Diagnostic, Position } from './diagnostics.js';
import type { Criterion } from './parse-prompt.js';
import type { NotifySettings } from './notify-setting.js';

/** How to start the agent for a task. */
export type AgentSpec = { kind: 'claude'; command: string[] } | { kind: 'codex'; command: string[] } | { kind: 'command'; command: string[] } | { kind: 'command'; shell: string };

/** A spending limit: Claude Code's dollar estimate and/or tokens; reaching either one counts. */
export interface Budget {
  usd?: number;
  /** Every token read or written, cached or not (`totalTokens`). */
  tokens?: number;
}

/** Settings that can differ per task (all durations in milliseconds). */
export interface TaskSettings {
  agent: AgentSpec;
  /** Checked against the installed Claude, whose versions differ in the modes they have. */
  permissionMode: string;
  permissionPrompt: 'approve' | 'deny' | 'wait';
  allowedTools: string[];
  model: string | undefined;
  setup: string | undefined;
  verify: string | undefined;
  timeout: number;
  idleTimeout: number;
  retries: number;
  nudges: number;
  /** Claude's sandbox for shell commands, with the domains they may reach; undefined when off. */
  sandbox: { network: string[] } | undefined;
  /** Undefined: no limit for one task. */
  taskBudget: Budget | undefined;
}

/** Settings for the whole run. */
export interface RunSettings {
  /** Undefined means "the branch checked out when the run starts". */
  base: string | undefined;
  concurrency: number;
  features: string;
  /** Undefined means the sibling folder `../<repo>.ccwave`. */
  worktrees: string | undefined;
  test: string | undefined;
  /** A failing test run is run again up to this many times before the failure counts. */
  testRetries: number;
  /** Time limit of each test, setup and verify command (ms). */
  commandTimeout: number;
  copy: string[];
  land: boolean;
  merge: { gate: 'each' | 'batch' | 'auto'; onConflict: 'agent' | 'skip' | 'stop' };
  retro: { enabled: boolean; dir: string; agent: boolean };
  /** Undefined: no limit for the whole run. */
  budget: Budget | undefined;
  /** No new agent starts while the five-hour window is at least this full (percent); false: off. */
  fiveHourPause: number | false;
  /** Where to tell a person what happened; undefined: nobody is told. */
  notify: NotifySettings | undefined;
  /** Most features `ccwave plan` puts in one wave; undefined: no limit. */
  maxWaveSize: number | undefined;
}

/** Where an effective value came from, highest precedence first. */
export type SettingSource = 'flag' | 'plan' | 'prompt' | 'default';

export interface Task {
  id: string;
  title: string;
  /** 1-based index of the wave the task is in. */
  wave: number;
  /** Absolute path of its PROMPT.md. */
  promptFile: string;
  /** The same, relative to the repository root (forward slashes). */
  promptPath: string;
  /** The PROMPT.md text after its front matter: what the agent reads. */
  prompt: string;
  criteria: Criterion[];
  /** Ids of the plan's tasks this one requires (all in earlier waves). */
  requires: string[];
  /** The PROMPT.md front matter as written (already validated). */
  overrides: Record<string, unknown>;
  settings: TaskSettings;
  sources: Record<keyof TaskSettings, SettingSource>;
  /** Where each setting of its PROMPT.md front matter is written. */
  settingAt: Record<string, Position>;
  /** Where the task is named in WAVES.md. */
  line: number;
  column: number;
}

export interface Wave {
  /** 1-based. */
  index: number;
  name: string;
  tasks: Task[];
}

export interface Plan {
  /** Absolute path of WAVES.md. */
  file: string;
  /** The repository root that paths are relative to. */
  root: string;
  name: string;
  settings: RunSettings;
  sources: Record<keyof RunSettings, SettingSource>;
  /** Task settings before any PROMPT.md override: what a task gets unless it says otherwise. */
  taskSettings: TaskSettings;
  taskSources: Record<keyof TaskSettings, SettingSource>;
  /** Where each setting of the WAVES.md front matter is written. */
  settingAt: Record<string, Position>;
  waves: Wave[];
  /** Problems that do not stop a run. */
  warnings: Diagnostic[];
}
