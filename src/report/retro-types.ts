import type { AgentAction } from '../journal/events.js';
import type { MergeStatus, TaskStatus, WaveStatus } from '../journal/run-state.js';
import type { Criterion } from '../plan/parse-prompt.js';
import type { Usage } from '../journal/usage.js';

/**
 * What a task changed: for a merged task what its merge brought over the integration branch
 * (`git diff --numstat <merge>^1 <merge>`), otherwise what its branch changed since it forked.
 */
export interface DiffFacts {
  filesChanged: number;
  insertions: number;
  deletions: number;
  /** Changed paths in git's order, at most MAX_DIFF_FILES of them; `filesChanged` counts them all. */
  files: string[];
}

export interface TestFacts {
  testId: string;
  sha: string;
  tasks: string[];
  command: string;
  /** Undefined while running, or when the run stopped before the test ended. */
  passed?: boolean;
  /** The run stopped before it ended: it has no verdict and was run again after the resume. */
  interrupted?: boolean;
  exitCode?: number | null;
  durationMs?: number;
  finishedAt?: string;
  /** Which run of one verdict (a retry after a failure is 2 or more); undefined for the first. */
  attempt?: number;
  /** The end of its output, bounded; kept for failed tests only. */
  outputTail?: string;
  /** It ran on the wave's starting commit, so it says whether the base itself was green. */
  onBase: boolean;
}

export interface TaskMergeFacts {
  status: MergeStatus;
  mergeSha?: string;
  conflictedPaths: string[];
  reason?: string;
  /** When the merge queue last decided about the task. */
  at: string;
}

export interface TaskFacts {
  id: string;
  title: string;
  promptPath: string;
  status: TaskStatus;
  reason?: string;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  durationMs?: number;
  commits?: number;
  branch?: string;
  fromSha?: string;
  tipSha?: string;
  /** Undefined when there is no tip to compare, or git no longer has the commits. */
  diff?: DiffFacts;
  merge?: TaskMergeFacts;
  /** The last merge conflict handed back to the task's agent, if any. */
  handback?: { round: number; paths: string[] };
  /** Test runs that named this task, in journal order. */
  tests: TestFacts[];
  /** From the plan; undefined when no plan was given or it no longer lists the task. */
  criteria?: Criterion[];
  /** The agent's own last message, trimmed to MAX_LAST_MESSAGE_CHARS. */
  lastMessage?: string;
  /** What ccwave did for the agent (nudges, dialog answers, auto commits, API retries, pauses), by kind. */
  actions: Partial<Record<AgentAction, number>>;
  /** What its agent used over all attempts, as Claude Code reported it; undefined when it reported nothing. */
  usage?: Usage;
  /** The model its agent last reported. */
  model?: string;
}

/** Something the next wave (or the person reading in the morning) should look at. */
export type WatchItem =
  | { kind: 'shared-files'; tasks: string[]; paths: string[] }
  | { kind: 'failed'; task: string; status: 'failed' | 'timeout' | 'cancelled' | 'skipped'; reason?: string }
  | { kind: 'unfinished'; task: string; status: TaskStatus }
  /** Stopped at its budget: resumable with a larger one. */
  | { kind: 'over-budget'; task: string; reason?: string }
  | { kind: 'no-commits'; task: string }
  | { kind: 'conflict'; task: string; paths: string[]; branch?: string }
  /** Merged after its agent resolved a conflict: a merge nobody reviewed, where two tasks met. */
  | { kind: 'resolved-conflict'; task: string; paths: string[]; mergeSha?: string }
  | { kind: 'tests-failed'; task: string; reason?: string }
  | { kind: 'base-failing'; sha: string; command: string }
  | { kind: 'flaky'; sha: string; testIds: string[] };

export interface StatusCount<S extends string> {
  status: S;
  count: number;
}

export interface RetroFacts {
  runId: string;
  planName: string;
  planFile: string;
  wave: {
    index: number;
    name: string;
    status: WaveStatus;
    fromSha?: string;
    /** The integration tip after the wave's merges. */
    integrationSha?: string;
    startedAt?: string;
    /**
     * Every task ended and the merge queue is done. The runner writes the retrospective just before
     * it journals `wave-finished`, so this does not wait for that event.
     */
    complete: boolean;
    /** `wave-finished`'s time, or for a complete wave before it, its last task, merge or test event. */
    endedAt?: string;
  };
  /** False when no plan was given: criteria are then unknown, which is not the same as none. */
  planLoaded: boolean;
  tasks: TaskFacts[];
  totals: {
    tasks: number;
    commits: number;
    byStatus: StatusCount<TaskStatus>[];
    /** `not merged` counts tasks that never reached the merge queue. */
    byMerge: StatusCount<MergeStatus | 'not merged'>[];
  };
  phases: {
    /** Wave start to the last task finished. */
    agentsMs?: number;
    /** Last task finished to the last merge event (or the wave's end). */
    mergeMs?: number;
    /** Sum of the wave's test durations. */
    testsMs: number;
    /** Wave start to wave end. */
    waveMs?: number;
  };
  /** Conflicts left unmerged, and those the task's agent resolved (`resolved`: merged after a hand-back). */
  conflicts: Array<{ task: string; paths: string[]; resolved?: boolean }>;
  tests: {
    runs: TestFacts[];
    failed: number;
    /** A test on the wave's starting commit failed: red before any task was merged. */
    baseFailing: boolean;
  };
  watch: WatchItem[];
  /** The wave's and the run's usage so far; undefined when no agent of the run reported any (plain commands). */
  usage?: { wave: Usage; run: Usage };
}
