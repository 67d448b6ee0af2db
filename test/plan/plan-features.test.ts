import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../src/plan/load-plan.js';
import { planFeatures, type FeaturePlan } from '../../src/plan/plan-features.js';
import { scanFeatures } from '../../src/plan/scan-features.js';
import { Diagnostics, formatDiagnostic } from '../../src/plan/diagnostics.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURE = path.join(REPO_ROOT, 'fixtures/plan-notes/features');
const FEATURES = 'feature-management/features';

/** A folder that looks like a repository root, with the fixture's features in the default place. */
function notesRoot(): string {
  const root = tempDir('ccwave-plan-');
  mkdirSync(path.join(root, '.git'));
  cpSync(FIXTURE, path.join(root, FEATURES), { recursive: true });
  return root;
}

function plan(root: string, options: { merged?: Map<string, { mergeSha: string; runId: string }>; maxWaveSize?: number; existing?: string } = {}): FeaturePlan {
  const result = planFeatures({ featuresDir: path.join(root, FEATURES), root, merged: options.merged ?? new Map(), ...options });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.plan!;
}

function waveOf(p: FeaturePlan): Map<string, number> {
  return new Map(p.assignment.waves.flatMap((w) => w.features.map((f) => [f.feature.id, w.index] as const)));
}

function specsOf(root: string) {
  const diagnostics = new Diagnostics();
  return scanFeatures(path.join(root, FEATURES), root, diagnostics);
}

describe('planning the notes fixture (20 features)', () => {
  it('reads every feature with its priority, dependencies and declared files', () => {
    const specs = specsOf(notesRoot());
    expect(specs).toHaveLength(20);
    const byId = new Map(specs.map((s) => [s.id, s]));
    // Front matter, a bold `**Priority**:` line, a plain `Priority:` line, and none (P2).
    expect(byId.get('feature-001-config-loader')!.priority).toBe(0);
    expect(byId.get('feature-002-logger')!.priority).toBe(1);
    expect(byId.get('feature-004-note-model')!.priority).toBe(0);
    expect(byId.get('feature-009-search-command')!.priority).toBe(2);
    expect(byId.get('feature-013-import')!.blockedBy.map((r) => r.id)).toEqual(['feature-012-export-json']);
    expect(byId.get('feature-006-add-command')!.files.map((f) => f.path)).toEqual(['src/cli/add.js', 'src/cli/index.js']);
  });

  it('puts every feature after all it requires or is blocked by', () => {
    const root = notesRoot();
    const p = plan(root);
    const wave = waveOf(p);
    expect(wave.size).toBe(20);
    for (const spec of specsOf(root)) {
      for (const ref of [...spec.requires, ...spec.blockedBy]) expect(wave.get(ref.id)!, `${spec.id} after ${ref.id}`).toBeLessThan(wave.get(spec.id)!);
    }
  });

  it('never puts two features that declare the same file in one wave, and moves the less urgent one', () => {
    const root = notesRoot();
    const p = plan(root);
    for (const w of p.assignment.waves) {
      const files = w.features.flatMap((f) => f.feature.files.map((d) => d.path));
      expect(new Set(files).size, `wave ${w.index}`).toBe(files.length);
    }
    const wave = waveOf(p);
    // Both could start at once; config-validation (P2) gives way to config-loader (P0).
    expect(wave.get('feature-001-config-loader')).toBe(1);
    expect(wave.get('feature-019-config-validation')).toBe(2);
    // add (P1) and list (P1) both register in src/cli/index.js: the id decides, list moves on.
    expect(wave.get('feature-007-list-command')).toBe(wave.get('feature-006-add-command')! + 1);
  });

  it('keeps priority order inside each wave and an earlier wave never waits for a less urgent feature', () => {
    const p = plan(notesRoot());
    for (const w of p.assignment.waves) {
      const levels = w.features.map((f) => f.feature.priority);
      expect(levels).toEqual([...levels].sort((a, b) => a - b));
    }
    // Encryption (P1) is ready in wave 2 but shares src/storage.js with storage (P0): it waits.
    const placed = p.assignment.waves.flatMap((w) => w.features).find((f) => f.feature.id === 'feature-016-encryption')!;
    expect(placed.delays).toEqual([{ wave: 2, kind: 'file', file: 'src/storage.js', with: 'feature-003-storage' }]);
  });

  it('honours maxWaveSize without breaking a dependency', () => {
    const root = notesRoot();
    const p = plan(root, { maxWaveSize: 3 });
    expect(Math.max(...p.assignment.waves.map((w) => w.features.length))).toBe(3);
    const wave = waveOf(p);
    for (const spec of specsOf(root)) for (const ref of spec.requires) expect(wave.get(ref.id)!).toBeLessThan(wave.get(spec.id)!);
  });

  it('reports folders that share a directory in one wave as a risk', () => {
    const p = plan(notesRoot());
    const risk = p.assignment.risks.find((r) => r.features.includes('feature-011-export-markdown'));
    expect(risk).toMatchObject({ features: ['feature-011-export-markdown', 'feature-012-export-json'], directory: 'src/export/' });
    expect(p.text).toContain('risk: feature-011-export-markdown and feature-012-export-json both change files in src/export/');
  });

  it('leaves out features already merged, lists them with the commit, and lets their dependants start earlier', () => {
    const root = notesRoot();
    const merged = new Map([
      ['feature-001-config-loader', { mergeSha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', runId: 'r1' }],
      ['feature-003-storage', { mergeSha: 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678', runId: 'r1' }],
    ]);
    const p = plan(root, { merged });
    const wave = waveOf(p);
    expect(wave.has('feature-001-config-loader')).toBe(false);
    expect(wave.has('feature-003-storage')).toBe(false);
    expect(wave.get('feature-016-encryption')).toBe(1);
    expect(p.done.map((d) => d.id)).toEqual(['feature-001-config-loader', 'feature-003-storage']);
    expect(p.text).toContain('* feature-001-config-loader — Configuration loader: already merged in a1b2c3d (run r1)');
  });

  it('writes a WAVES.md the plan loader accepts, with the same tasks in the same waves', () => {
    const root = notesRoot();
    const p = plan(root);
    const file = path.join(root, 'WAVES.md');
    writeFileSync(file, p.text);
    const loaded = loadPlan(file);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, root))).toEqual([]);
    expect(loaded.plan!.waves.map((w) => w.tasks.map((t) => t.id))).toEqual(p.assignment.waves.map((w) => w.features.map((f) => f.feature.id)));
    expect(loaded.plan!.waves[1]!.tasks[0]!.title).toBe(p.assignment.waves[1]!.features[0]!.feature.title);
  });

  it('gives byte-identical output for the same inputs, also when it rewrites its own file', () => {
    const root = notesRoot();
    const first = plan(root).text;
    expect(plan(root).text).toBe(first);
    expect(plan(root, { existing: first }).text).toBe(first);
    // The reviewed plan of the fixture, byte for byte: a change in order or wording shows here.
    expect(first).toBe(readFileSync(path.join(REPO_ROOT, 'fixtures/plan-notes/WAVES.md'), 'utf8'));
  });

  it("keeps an existing file's front matter, title and prose, and replaces only its waves", () => {
    const root = notesRoot();
    const existing = [
      '---',
      'concurrency: 2',
      'maxWaveSize: 4',
      '---',
      '',
      '# Notes app',
      '',
      'Our plan; prose here stays.',
      '',
      '## Wave 1: old',
      '',
      '- feature-020-telemetry-opt-in',
      '',
      '## Notes',
      '',
      'Kept too.',
      '',
    ].join('\n');
    const text = plan(root, { existing }).text;
    expect(text.startsWith('---\nconcurrency: 2\nmaxWaveSize: 4\n---\n\n# Notes app\n\nOur plan; prose here stays.\n\n## Wave 1\n')).toBe(true);
    expect(text.endsWith('\n## Notes\n\nKept too.\n')).toBe(true);
    expect(text).not.toContain('Wave 1: old');
  });
});
