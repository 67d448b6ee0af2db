import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVersions } from '../../src/doctor/claude-identity.js';
import { configDir, newestPassedVersion, passedVersionsFile, readPassedVersions, rememberPassedVersion } from '../../src/doctor/passed-versions.js';
import { tempDir } from '../helpers/temp.js';

describe('compareVersions', () => {
  it.each([
    ['2.1.332', '2.1.330', 1],
    ['2.1.330', '2.1.332', -1],
    ['2.1.1000', '2.1.999', 1],
    ['2.2', '2.1.999', 1],
    ['2.1.0', '2.1', 0],
  ])('%s against %s is %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe('the versions doctor passed', () => {
  it('lives under $XDG_CONFIG_HOME/ccwave, else ~/.config/ccwave', () => {
    expect(configDir({ XDG_CONFIG_HOME: '/x/config' })).toBe('/x/config/ccwave');
    expect(configDir({})).toBe(path.join(os.homedir(), '.config', 'ccwave'));
    // A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
    expect(configDir({ XDG_CONFIG_HOME: 'rel' })).toBe(path.join(os.homedir(), '.config', 'ccwave'));
  });

  it('remembers each version with when, keeps the others, and leaves no temporary file', () => {
    const env = { XDG_CONFIG_HOME: tempDir('ccwave-config-') };
    expect(newestPassedVersion(env)).toBeUndefined();
    rememberPassedVersion('2.1.332', new Date('2026-12-01T10:00:00Z'), env);
    rememberPassedVersion('2.1.330', new Date('2026-12-02T10:00:00Z'), env);
    expect(readPassedVersions(env)).toEqual({ '2.1.332': '2026-12-01T10:00:00.000Z', '2.1.330': '2026-12-02T10:00:00.000Z' });
    expect(newestPassedVersion(env)).toBe('2.1.332');
    expect(readdirSync(path.dirname(passedVersionsFile(env)))).toEqual(['doctor-passed.json']);
  });

  it("keeps Codex's versions in a file of their own: neither list ever holds the other's", () => {
    const env = { XDG_CONFIG_HOME: tempDir('ccwave-config-') };
    rememberPassedVersion('0.171.0', new Date('2026-12-01T10:00:00Z'), env, 'codex');
    rememberPassedVersion('2.1.330', new Date('2026-12-02T10:00:00Z'), env);
    expect(readPassedVersions(env, 'codex')).toEqual({ '0.171.0': '2026-12-01T10:00:00.000Z' });
    expect(newestPassedVersion(env)).toBe('2.1.330');
    expect(readdirSync(path.dirname(passedVersionsFile(env))).sort()).toEqual(['doctor-passed-codex.json', 'doctor-passed.json']);
  });

  it('reads an unreadable file as no versions, and writes over it', () => {
    const env = { XDG_CONFIG_HOME: tempDir('ccwave-config-') };
    mkdirSync(path.join(env.XDG_CONFIG_HOME, 'ccwave'));
    writeFileSync(passedVersionsFile(env), '{ torn');
    expect(newestPassedVersion(env)).toBeUndefined();
    rememberPassedVersion('2.1.330', new Date(), env);
    expect(newestPassedVersion(env)).toBe('2.1.330');
  });
});
