/**
 * The test helpers every area uses; import from here or from the file named beside each.
 *
 * - temp.ts: `tempDir(prefix?)` a fresh real-path temp folder removed when the test finishes (made
 *   in a `beforeAll`: when the file's tests are done); `fileTempDir(prefix?)` one kept for the whole
 *   file; `fixtureRepo(folder)` a copy of a fixture folder that looks like a repository root.
 * - git.ts: `git(cwd, ...args)` the one way a test runs git (argv, stdout without the final
 *   newline, throws on failure, never opens an editor); `gitWithInput(cwd, input, ...args)` the same
 *   with stdin.
 * - repo.ts: `makeRepo({ initialCommit? })` a real repository on `main` (copied from a per-file
 *   template: far cheaper than the git processes that build one) as a `TestRepo` with
 *   `git(...args)`, `commit(files, message, cwd?)`, `sha(rev, cwd?)`; `initRepo(dir)` makes a
 *   folder of files such a repository (no commit); `snapshotRepo(repo)` saves and restores one.
 * - journal.ts: runs built the way ccwave writes them. `journalOf([[at, event], ...])` the stored
 *   events through the real schema; `journalFrom(events, start?)` the same a second apart;
 *   `stateOf(events)` the real reducer's `RunState`; `runStartedEvent(waves, overrides?)` a plan's
 *   first event; `writeJournal(dataDir, runId, entries)` a journal file written by the real
 *   `Journal`; `memoryJournal(clock?)` a validating in-memory journal for a `RunRecorder`. Never
 *   type a `RunState` or journal JSON by hand: only the tests of the parser's defences do, on
 *   purpose (test/fuzz, the agents of test/hostile, the torn and corrupted journals of
 *   test/journal/journal.test.ts and test/faults).
 * - cli.ts: `ccwave(args, { cwd, env })` the built CLI as a child process; `CLI`, `REPO_ROOT`.
 * - git-shim.ts: `gitShim(dir, before)`, `pathWith(bin)` to act at the moment ccwave runs git.
 * - tmux.ts: a private tmux server to drive and read the TUI in a real terminal.
 * - claude-binaries.ts: the real Claude Code binaries and a HOME/env for them against a fake API.
 */
export * from './claude-binaries.js';
export * from './cli.js';
export * from './git.js';
export * from './git-shim.js';
export * from './journal.js';
export * from './repo.js';
export * from './temp.js';
export * from './tmux.js';
