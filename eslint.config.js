import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/, top to bottom: a folder may import the folders listed for it, and the root
 * files (src/*.ts, src/format/), nothing else. `type` imports count too.
 *
 *   cli → run → {merge, agent, report, ui} → {git, journal, plan, process} → root files
 *
 * doctor sits beside run: it drives the agent adapters and reads git, the journal and the plan the
 * way a run would, and only cli imports it.
 * merge, agent, report and ui do not import each other. Inside the bottom layer the order is
 * journal → process → plan, and git stands alone: no cycle, and each knows only what is below it.
 */
const LAYERS = {
  cli: ['run', 'doctor', 'merge', 'agent', 'report', 'ui', 'git', 'journal', 'plan', 'process'],
  run: ['merge', 'agent', 'report', 'ui', 'git', 'journal', 'plan', 'process'],
  doctor: ['agent', 'git', 'journal', 'plan', 'process'],
  merge: ['git', 'journal', 'plan', 'process'],
  agent: ['git', 'journal', 'plan', 'process'],
  report: ['git', 'journal', 'plan', 'process'],
  ui: ['git', 'journal', 'plan', 'process'],
  journal: ['process', 'plan'],
  process: ['plan'],
  plan: [],
  git: [],
};
const FOLDERS = Object.keys(LAYERS);

/** One `no-restricted-imports` block per folder: every folder it may not import, with the reason. */
function layerBlock(files, name, allowed) {
  const forbidden = FOLDERS.filter((folder) => folder !== name && !allowed.includes(folder));
  return {
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: forbidden.map((folder) => ({
            group: [`**/${folder}/**`],
            message: `${name === 'root' ? 'a root file' : `src/${name}`} may not import src/${folder}: the layers are cli → run → {merge, agent, report, ui} → {git, journal, plan, process} → root files (eslint.config.js).`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'fixtures/**', 'bench/**', 'feature-management/**', 'waves/**', '*.config.{js,ts}'],
  },
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    extends: [eslint.configs.recommended, ...tseslint.configs.recommended],
    rules: {
      // Unused bindings are knip's and TypeScript's to find; a leading underscore marks one kept on purpose.
      // A terminal tool matches escape sequences and control characters on purpose.
      'no-control-regex': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  ...Object.entries(LAYERS).map(([name, allowed]) => layerBlock([`src/${name}/**/*.{ts,tsx}`], name, allowed)),
  layerBlock(['src/*.ts', 'src/format/**/*.ts'], 'root', []),
  {
    // Every git command is spawned by src/git/ with ccwave's git environment (no hooks, no fsmonitor).
    files: ['src/**/*.{ts,tsx}'],
    ignores: [
      'src/git/**',
      // The agent's worktree probe spawns git detached in its own process group, to kill it whole.
      'src/agent/worktree-probe.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[arguments.0.value='git']",
          message: 'git is run only from src/git/: add a function there for the command.',
        },
        {
          selector: "CallExpression[callee.property.name=/^(run|text|lines|fields)$/][arguments.0.type='ArrayExpression']",
          message: 'git commands are written only in src/git/: add a function there for the command.',
        },
      ],
    },
  },
);
