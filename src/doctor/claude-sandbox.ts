import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { commitFiles, initRepo, setRepoIdentity } from '../git/new-repo.js';

/**
 * Where doctor runs the user's Claude: a throwaway HOME and config dir (nothing of the user's
 * login, settings or history is read or changed), temporary git repositories, and an environment
 * that points Claude at the fake Messages API on 127.0.0.1 only.
 */
export interface ClaudeSandbox {
  root: string;
  /** Claude's `.claude.json`, where a folder can be pre-trusted. */
  claudeConfigPath: string;
  env: NodeJS.ProcessEnv;
  /** A new repository with one commit; each gets its own path, so Claude has never seen it. */
  newRepo(name: string): { worktree: string; taskDir: string };
  dispose(): void;
}

/** Any key will do for the fake API; its last 20 characters are marked approved so Claude does not ask. */
export const DOCTOR_API_KEY = 'sk-ant-api03-ccwave-doctor-key-not-real-0123456789abcdef';
/** A made-up subscription login, for the one screen Claude shows only to subscribers (the usage limit). */
export const DOCTOR_OAUTH_TOKEN = 'sk-ant-oat01-ccwave-doctor-token-not-real-0123456789';
const IDENTITY = { name: 'ccwave doctor', email: 'doctor@ccwave.invalid' };
const BRANCH = 'main';
const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'https_proxy', 'http_proxy', 'ALL_PROXY', 'all_proxy'];
const LOCAL_HOSTS = '127.0.0.1,localhost';

export function makeClaudeSandbox(apiUrl: string): ClaudeSandbox {
  const root = mkdtempSync(path.join(tmpdir(), 'ccwave-doctor-'));
  const home = path.join(root, 'home');
  const configDir = path.join(home, '.claude');
  mkdirSync(configDir, { recursive: true });
  // Onboarding done and the key approved; no folder trusted. Claude reads `.claude.json` from
  // CLAUDE_CONFIG_DIR when it is set and from HOME otherwise: both hold the same.
  const config = JSON.stringify({ hasCompletedOnboarding: true, customApiKeyResponses: { approved: [DOCTOR_API_KEY.slice(-20)], rejected: [] } });
  writeFileSync(path.join(home, '.claude.json'), config);
  writeFileSync(path.join(configDir, '.claude.json'), config);
  let count = 0;
  return {
    root,
    claudeConfigPath: path.join(configDir, '.claude.json'),
    env: claudeEnv(home, configDir, apiUrl),
    newRepo(name) {
      count += 1;
      return makeDoctorRepo(root, `${String(count).padStart(2, '0')}-${name}`, name);
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A new repository under `root`/repos with one commit, and the task's folder in its git dir: each
 * gets its own path, so the agent has never seen it.
 */
export function makeDoctorRepo(root: string, folder: string, name: string): { worktree: string; taskDir: string } {
  const worktree = path.join(root, 'repos', folder);
  mkdirSync(worktree, { recursive: true });
  initRepo(worktree, BRANCH);
  setRepoIdentity(worktree, IDENTITY);
  writeFileSync(path.join(worktree, 'README.md'), '# doctor\n\nA repository ccwave doctor made to check an agent.\n');
  commitFiles(worktree, 'all', 'A first commit', IDENTITY);
  const taskDir = path.join(worktree, '.git', 'ccwave', 'doctor', name);
  mkdirSync(taskDir, { recursive: true });
  return { worktree, taskDir };
}

/** Where a doctor's agent may reach the network: the fake API as its proxy, so only 127.0.0.1 is reached. */
export function localOnlyEnv(apiUrl: string): NodeJS.ProcessEnv {
  return { ...Object.fromEntries(PROXY_VARIABLES.map((name) => [name, apiUrl])), NO_PROXY: LOCAL_HOSTS, no_proxy: LOCAL_HOSTS };
}

/** The user's environment without their Claude or Anthropic settings, pointed at the fake API. */
function claudeEnv(home: string, configDir: string, apiUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(ANTHROPIC_|CLAUDE|CLAUDECODE)/.test(key)) env[key] = value;
  }
  return {
    ...env,
    HOME: home,
    CLAUDE_CONFIG_DIR: configDir,
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: DOCTOR_API_KEY,
    DISABLE_AUTOUPDATER: '1',
    // No telemetry, error reports or update checks: nothing leaves the machine.
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    // What still tries to go out (seen: downloads.claude.ai, github.com) is sent to the fake API as
    // its proxy, which refuses every CONNECT; only 127.0.0.1 is reached directly.
    ...localOnlyEnv(apiUrl),
  };
}
