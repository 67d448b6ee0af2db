import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../errors.js';
import { DEFAULT_RUN_SETTINGS } from '../../plan/defaults.js';
import { STARTER_FEATURE_ID, STARTER_PLAN, STARTER_PROMPT } from '../../plan/templates.js';
import { DEFAULT_PLAN } from '../defaults.js';

/** `ccwave init`: writes a starter plan and feature, refusing to overwrite anything. */
export function init(dir: string): void {
  const files = [
    { file: path.join(dir, DEFAULT_PLAN), text: STARTER_PLAN },
    { file: path.join(dir, DEFAULT_RUN_SETTINGS.features, STARTER_FEATURE_ID, 'PROMPT.md'), text: STARTER_PROMPT },
  ];
  const existing = files.filter(({ file }) => existsSync(file)).map(({ file }) => path.relative(process.cwd(), file) || file);
  if (existing.length) {
    throw new UserError(`not overwriting ${existing.join(' and ')}`, { hint: 'move the existing files away, or run `ccwave init` in another folder' });
  }
  for (const { file, text } of files) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' });
    process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file}\n`);
  }
  process.stdout.write(`\nnext: describe the feature, then \`ccwave validate\` and \`ccwave run\`\n`);
}
