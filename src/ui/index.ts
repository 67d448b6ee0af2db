/** The UI: it renders RunState and turns keys into intents; it never touches git or a PTY. */
export { RunStore, createRunView, type LiveTask, type PhaseKind, type RunPhase, type RunView, type ScreenSource, type UiIntent } from './store.js';
export { renderTui, attachTask, type TuiHandle, type TuiOptions } from './tui/render-tui.js';
export { PlainReporter, FLIP_QUIET_MS, type PlainReporterOptions } from './plain-reporter.js';
export { JsonReporter } from './json-reporter.js';
export { formatSummary, type SummaryPaths } from './summary.js';
export { MAX_FRAMES_PER_SECOND, FRAME_INTERVAL_MS } from './throttled-source.js';
