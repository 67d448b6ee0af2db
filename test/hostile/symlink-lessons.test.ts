import { describe, expect, it } from 'vitest';
import { expectCommitsReachable, hostileRepo, outsideSnapshot, runTwice } from './symlink-agent-repo.js';

describe('a lessons session (retro.agent) committing a symlink', () => {
  it('a lessons session committing LESSONS.md as a symlink: the linked file is not read into the retrospective', async () => {
    const h = hostileRepo('docs/a-link', 'secret.txt', { settings: { retro: { agent: true } } });
    const before = outsideSnapshot(h.outside);
    await runTwice(h);
    expect(outsideSnapshot(h.outside)).toEqual(before);
    const retro = h.repo.git('show', 'main:waves/retros/test-plan-wave-1.md');
    expect(retro).toMatch(/The lessons session did not finish: LESSONS\.md is not a regular file/);
    expect(retro).not.toContain("the user's own file");
    expectCommitsReachable(h);
  });
});
