import { describe, expect, it } from 'vitest';
import { claudeScreenRules21 } from '../../src/agent/claude/screen-rules-2.1.js';
import type { ScreenRules } from '../../src/agent/screen-class.js';
import { CLAUDE_CHECKS, runClaudeChecks } from '../../src/doctor/claude-checks.js';
import { CLAUDE_BINARIES } from '../helpers/claude-binaries.js';

/**
 * What doctor is for: a Claude whose trust dialog the rules no longer recognise (as after a
 * rewording) is caught by the trust check, with the screen ccwave saw, before a night run hangs on it.
 */
const brokenTrustRule: ScreenRules = {
  ...claudeScreenRules21,
  family: 'claude 2.1.x without its trust-dialog rule',
  classify: (lines, now) => {
    const screen = claudeScreenRules21.classify(lines, now);
    return screen.kind === 'trust-dialog' ? { kind: 'unknown' } : screen;
  },
};

const pinned = CLAUDE_BINARIES.slice(0, 1);

describe.each(pinned)('doctor with the real Claude Code $version and a broken rule table', (claude) => {
  it('fails exactly the trust check, shows the dialog it saw, and leaves the others as they were', async () => {
    const { results } = await runClaudeChecks({ claudePath: claude.path, screenRules: brokenTrustRule });
    const trust = results.find((r) => r.id === CLAUDE_CHECKS.trust.id);
    expect(trust).toMatchObject({ status: 'failed', detail: expect.stringContaining('expected a screen the `trust-dialog` rule recognises') });
    expect(trust?.screen?.join('\n')).toMatch(/Yes, I trust this folder/);
    // The other sessions pre-trust their folders, as ccwave can by policy: they do not need the rule.
    expect(results.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual([CLAUDE_CHECKS.trust.id]);
    expect(results.filter((r) => r.status === 'ok').map((r) => r.id)).toEqual(
      Object.values(CLAUDE_CHECKS)
        .filter((c) => c.id !== CLAUDE_CHECKS.trust.id)
        .map((c) => c.id),
    );
  }, 300_000);
});
