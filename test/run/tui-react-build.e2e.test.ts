import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasTmux, killTmuxServer, startRunInTmux, waitForPane } from '../helpers/tmux.js';
import { planRepo } from './plan-repo.js';

afterEach(killTmuxServer);

const HOOK = path.join(import.meta.dirname, 'react-build-hook.mjs');

/** The agent writes down the NODE_ENV it inherited, and commits it. */
const recordEnv = { steps: [{ run: ['sh', '-c', 'echo "NODE_ENV=${NODE_ENV-unset}" > env.txt'] }, { commit: 'Record the environment' }], reply: 'Recorded it.' };

describe.skipIf(!hasTmux)("the TUI's React build (the built CLI in tmux)", () => {
  it.each([
    { userEnv: undefined, build: 'production', agentSees: 'NODE_ENV=unset' },
    { userEnv: 'development', build: 'development', agentSees: 'NODE_ENV=development' },
  ])('with NODE_ENV $userEnv: React $build, and the agent sees $agentSees', async ({ userEnv, build, agentSees }) => {
    const repo = planRepo([[{ id: 'feature-001-env', turns: [recordEnv] }]]);
    const log = path.join(path.dirname(repo.dir), 'react-builds.log');
    startRunInTmux('react-build', repo, { env: { NODE_OPTIONS: `--import=${HOOK}`, REACT_BUILD_LOG: log, ...(userEnv ? { NODE_ENV: userEnv } : {}) } });
    await waitForPane('react-build', (s) => /finished \(exit 0\)/.test(s), 'the summary', 60_000);
    const loaded = existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((url) => path.basename(url))
      : [];
    expect(loaded).toContain(`react.${build}.js`);
    expect(loaded).toContain(`react-reconciler.${build}.js`);
    expect(loaded.filter((file) => !file.endsWith(`.${build}.js`))).toEqual([]);
    expect(repo.git('show', 'main:env.txt')).toBe(agentSees);
  });
});
