import { existsSync } from 'node:fs';
import path from 'node:path';
import { START, type Diagnostics } from './diagnostics.js';
import { parseFeatureSpec, type FeatureSpec } from './feature-spec.js';
import { parseFrontMatter } from './front-matter.js';
import { readText } from './read-text.js';
import { isInside, realOr } from './repo-root.js';
import { FeatureFolders, PROMPT_FILE } from './resolve-task.js';
import { promptSettingsSchema } from './settings-schema.js';
import { confinedValueProblems } from './confined-values.js';
import { branchNameProblem } from './task-id.js';
import { splitMarkdown } from './sections.js';

/**
 * Reads every feature folder's PROMPT.md under `dir`, in name order. Folders without one are
 * skipped with a warning; a front matter the run would reject is an error here too, so the plan
 * written from these features validates.
 */
export function scanFeatures(dir: string, root: string, diagnostics: Diagnostics): FeatureSpec[] {
  const folders = new FeatureFolders(dir);
  if (folders.missing) {
    diagnostics.error(dir, START, `the features folder \`${path.relative(root, dir) || '.'}\` does not exist`, "pass `--features <dir>` or set `features:` in the plan's front matter");
    return [];
  }
  const specs: FeatureSpec[] = [];
  for (const id of folders.names) {
    const promptFile = path.join(dir, id, PROMPT_FILE);
    if (!existsSync(promptFile)) {
      diagnostics.warning(path.join(dir, id), START, `\`${id}\` has no ${PROMPT_FILE}: it is not planned`);
      continue;
    }
    const problem = branchNameProblem(id);
    if (problem) {
      diagnostics.error(promptFile, START, `feature id \`${id}\` cannot be a git branch name: it ${problem}`, 'rename the feature folder');
      continue;
    }
    if (!isInside(realOr(root), realOr(promptFile))) {
      diagnostics.error(promptFile, START, `the PROMPT.md of \`${id}\` leads outside the repository through a symlink`, 'task specs must live in the repository the run works on');
      continue;
    }
    const text = readText(promptFile, diagnostics, 'PROMPT.md');
    if (text === undefined) continue;
    const spec = parseFeatureSpec(id, promptFile, text);
    const { frontMatter } = splitMarkdown(text);
    if (frontMatter) {
      const parsed = parseFrontMatter({ file: promptFile, ...frontMatter, kind: 'prompt' }, promptSettingsSchema, diagnostics, (value) => confinedValueProblems(value, root, 'prompt'));
      if (parsed === undefined) continue;
    }
    specs.push(spec);
  }
  return specs;
}
