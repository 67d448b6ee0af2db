import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { localOnlyEnv, makeDoctorRepo } from './claude-sandbox.js';

/**
 * Where doctor runs the user's Codex: a throwaway CODEX_HOME whose only setting is the fake
 * Responses API as its model provider (no login is read: the fake takes any key), throwaway git
 * repositories, and an environment without the user's Codex or OpenAI settings.
 *
 * Not in the temporary directory: Codex refuses to create its helper binaries under one (and says
 * so on screen), so the folder is in ccwave's cache dir, and removed afterwards.
 */
export interface CodexSandbox {
  root: string;
  codexHome: string;
  env: NodeJS.ProcessEnv;
  newRepo(name: string): { worktree: string; taskDir: string };
  dispose(): void;
}

const KEY_VARIABLE = 'CCWAVE_DOCTOR_CODEX_KEY';
const DOCTOR_KEY = 'ccwave-doctor-key-not-real';

/** `$XDG_CACHE_HOME/ccwave`, else `~/.cache/ccwave`: doctor's scratch folder outside the temporary dir. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.cache'), 'ccwave');
}

export function makeCodexSandbox(apiUrl: string, env: NodeJS.ProcessEnv = process.env): CodexSandbox {
  const parent = cacheDir(env);
  mkdirSync(parent, { recursive: true });
  const root = mkdtempSync(path.join(parent, 'doctor-codex-'));
  const codexHome = path.join(root, 'codex-home');
  mkdirSync(codexHome);
  writeFakeProviderConfig(codexHome, apiUrl);
  let count = 0;
  return {
    root,
    codexHome,
    env: codexEnv(env, codexHome, apiUrl),
    newRepo(name) {
      count += 1;
      return makeDoctorRepo(root, `${String(count).padStart(2, '0')}-${name}`, name);
    },
    dispose: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * A CODEX_HOME's `config.toml` whose only setting is the fake Responses API at `apiUrl` (its base
 * URL, ending in /v1) as the model provider.
 */
export function writeFakeProviderConfig(codexHome: string, apiUrl: string): void {
  const config = [
    // Any model name: the fake answers for all of them.
    'model = "gpt-5-codex"',
    'model_provider = "fake"',
    '[model_providers.fake]',
    'name = "fake Responses API"',
    `base_url = ${JSON.stringify(apiUrl)}`,
    `env_key = "${KEY_VARIABLE}"`,
    'wire_api = "responses"',
    '',
  ];
  writeFileSync(path.join(codexHome, 'config.toml'), config.join('\n'));
}

/** `base` without any Codex or OpenAI setting, for a Codex whose home `writeFakeProviderConfig` wrote. */
export function fakeProviderEnv(base: NodeJS.ProcessEnv, codexHome: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!/^(CODEX_|OPENAI_)/.test(key)) env[key] = value;
  }
  return { ...env, CODEX_HOME: codexHome, [KEY_VARIABLE]: DOCTOR_KEY };
}

function codexEnv(base: NodeJS.ProcessEnv, codexHome: string, apiUrl: string): NodeJS.ProcessEnv {
  return { ...fakeProviderEnv(base, codexHome), ...localOnlyEnv(apiUrl) };
}
