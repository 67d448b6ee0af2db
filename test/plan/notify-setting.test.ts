import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/plan/diagnostics.js';
import { formatPlan } from '../../src/plan/format-plan.js';
import { loadPlan } from '../../src/plan/load-plan.js';
import { expandWebhook, NOTIFY_EVENTS, webhookLabel } from '../../src/plan/notify-setting.js';
import { tempDir } from '../helpers/temp.js';

function planWith(frontMatter: string): { file: string; root: string } {
  const root = tempDir();
  mkdirSync(path.join(root, '.git'));
  mkdirSync(path.join(root, 'feature-management/features/feature-001-a'), { recursive: true });
  writeFileSync(path.join(root, 'feature-management/features/feature-001-a/PROMPT.md'), '# Feature: A\n\n## Acceptance Criteria\n- [ ] works\n');
  writeFileSync(path.join(root, 'WAVES.md'), `---\n${frontMatter}\n---\n## Wave 1\n\n- feature-001\n`);
  return { file: path.join(root, 'WAVES.md'), root };
}

/** The errors `ccwave validate` prints for the front matter, with file:line:col. */
function errorsFor(frontMatter: string): string[] {
  const { file, root } = planWith(frontMatter);
  const { plan, diagnostics } = loadPlan(file);
  expect(plan).toBeUndefined();
  return diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, root));
}

describe('the notify setting', () => {
  it('is off by default', () => {
    const { plan } = loadPlan(planWith('concurrency: 1').file);
    expect(plan!.settings.notify).toBeUndefined();
    expect(formatPlan(plan!)).toMatch(/^ {2}notify +—$/m);
  });

  it('takes a command, one webhook or a list, and every event unless some are chosen', () => {
    const one = loadPlan(planWith('notify:\n  command: ./notify.sh\n  webhook: "${SLACK_URL}"').file).plan!;
    expect(one.settings.notify).toEqual({ command: './notify.sh', webhooks: ['${SLACK_URL}'], events: [...NOTIFY_EVENTS] });
    const list = loadPlan(planWith('notify:\n  webhook: [https://a.example/x, "https://hooks.example.com/services/${TOKEN}"]\n  events: [task-failed, run-finished]').file).plan!;
    expect(list.settings.notify).toEqual({ command: undefined, webhooks: ['https://a.example/x', 'https://hooks.example.com/services/${TOKEN}'], events: ['task-failed', 'run-finished'] });
    expect(list.sources.notify).toBe('plan');
  });

  it('validate shows webhooks by their host only, never a path that may hold a secret', () => {
    const plan = loadPlan(planWith('notify:\n  command: ./notify.sh\n  webhook: [https://hooks.example.com/services/T0/B0/s3cret, "${SLACK_URL}"]\n  events: [run-failed]').file).plan!;
    const text = formatPlan(plan);
    expect(text).toMatch(/^ {2}notify +command: \.\/notify\.sh, webhook: hooks\.example\.com, \$\{SLACK_URL\}, events: run-failed {2}\[WAVES\.md\]$/m);
    expect(text).not.toContain('s3cret');
  });

  it('warns about a webhook written out with its path, where its secret usually is, and not about a ${NAME}', () => {
    const { file, root } = planWith('concurrency: 1\nnotify:\n  webhook: [https://hooks.example.com/services/T0/B0/s3cret, "https://hooks.example.com/${PATH_SECRET}", http://127.0.0.1:4000]');
    const { plan, diagnostics } = loadPlan(file);
    expect(plan).toBeDefined();
    expect(diagnostics.map((d) => formatDiagnostic(d, root))).toEqual([
      'WAVES.md:3:1: warning: the webhook to hooks.example.com is written out in full: the plan and each run\'s journal keep its URL\n  hint: if its path is a secret, put the URL in an environment variable and write "${NAME}": it is read only when sending',
    ]);
  });

  it('refuses an unknown event with file:line:col and a suggestion', () => {
    expect(errorsFor('notify:\n  command: ./n.sh\n  events: [task-failed, wave-finish]')).toEqual([
      'WAVES.md:4:25: error: `notify.events.1` must be a list of events: task-failed, task-conflict, task-waiting, task-over-budget, usage-paused, usage-resumed, wave-finished, run-finished, run-failed, run-interrupted, not "wave-finish"\n  hint: did you mean `wave-finished`?',
    ]);
  });

  it('refuses a notify that names nowhere to send, an unknown key, and a wrong type', () => {
    expect(errorsFor('notify:\n  events: [run-finished]')).toEqual([expect.stringMatching(/^WAVES\.md:3:3: error: `notify`: says where to send nothing: give it a command, a webhook or both/)]);
    expect(errorsFor('notify:\n  command: ./n.sh\n  webhooks: https://a.example/')).toEqual([
      expect.stringMatching(/^WAVES\.md:4:3: error: unknown setting `notify.webhooks`\n {2}hint: did you mean `webhook`\?/),
    ]);
    expect(errorsFor('notify: yes')).toEqual([expect.stringMatching(/^WAVES\.md:2:9: error: `notify` must be a map like/)]);
    expect(errorsFor('notify:\n  command: [a, b]')).toEqual([expect.stringMatching(/^WAVES\.md:3:12: error: `notify.command` must be a shell command, not a list/)]);
  });

  it('refuses a webhook that is not an http(s) URL or a bad ${NAME}, without repeating its text', () => {
    const errors = [
      ...errorsFor('notify:\n  webhook: "not a url s3cret"'),
      ...errorsFor('notify:\n  webhook: [https://ok.example/, "ftp://files.example/s3cret"]'),
      ...errorsFor('notify:\n  webhook: "https://hooks.example/${TOKEN"'),
      ...errorsFor('notify:\n  webhook: "https://hooks.example/${1TOKEN}"'),
    ];
    expect(errors).toEqual([
      expect.stringMatching(/^WAVES\.md:3:12: error: `notify.webhook`: it is not a URL\n {2}hint: expected an http\(s\) URL or a list of them/),
      expect.stringMatching(/^WAVES\.md:3:34: error: `notify.webhook.1`: its scheme is ftp, not http or https/),
      expect.stringMatching(/^WAVES\.md:3:12: error: `notify.webhook`: `\$\{` must be followed by an environment variable name and `\}`/),
      expect.stringMatching(/^WAVES\.md:3:12: error: `notify.webhook`: `\$\{` must be followed/),
    ]);
    for (const error of errors) expect(error).not.toContain('s3cret');
  });

  it('is a run setting: a PROMPT.md cannot set it', () => {
    const { file, root } = planWith('concurrency: 1');
    writeFileSync(path.join(root, 'feature-management/features/feature-001-a/PROMPT.md'), '---\nnotify:\n  command: ./n.sh\n---\n# Feature: A\n\n## Acceptance Criteria\n- [ ] works\n');
    const { diagnostics } = loadPlan(file);
    expect(diagnostics.map((d) => d.message)).toContain('`notify` is a run setting and cannot be set per task');
  });
});

describe('webhook templates', () => {
  it('put ${NAME} in from the environment only when asked, and say which one is missing', () => {
    expect(expandWebhook('https://hooks.example.com/services/${TOKEN}', { TOKEN: 'T0/B0/abc' })).toEqual({ url: 'https://hooks.example.com/services/T0/B0/abc' });
    expect(expandWebhook('${WHOLE}', { WHOLE: 'http://127.0.0.1:9/x' })).toEqual({ url: 'http://127.0.0.1:9/x' });
    expect(expandWebhook('https://h.example/${A}/${B}', { A: 'a' })).toEqual({ missing: 'B' });
    expect(expandWebhook('https://h.example/${A}', { A: '' })).toEqual({ missing: 'A' });
  });

  it.each([
    ['https://hooks.slack.com/services/T0/B0/secret', 'hooks.slack.com'],
    ['https://user:pw@hooks.example.com:8443/x?token=s', 'hooks.example.com:8443'],
    ['${SLACK_WEBHOOK_URL}', '${SLACK_WEBHOOK_URL}'],
    ['https://${HOOK_HOST}/secret', '${HOOK_HOST}'],
    ['http://127.0.0.1:4000', '127.0.0.1:4000'],
  ])('%s is shown as %s', (template, label) => {
    expect(webhookLabel(template)).toBe(label);
  });
});
