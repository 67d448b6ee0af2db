import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT, UserError } from '../../errors.js';
import { DEFAULT_RUN_SETTINGS } from '../../plan/defaults.js';
import { enclosingRepoRoot } from '../../plan/repo-root.js';
import { STARTER_FEATURE_ID, STARTER_PLAN, STARTER_PROMPT } from '../../plan/templates.js';
import { processIO, type CommandIO } from '../command-io.js';
import { DEFAULT_PLAN } from '../defaults.js';

export interface InitOptions {
  /** The folder to write into. */
  dir: string;
}

/** `ccwave init`: writes a starter plan and feature, refusing to overwrite anything. */
export function initCommand(options: InitOptions, io: CommandIO = processIO): number {
  const dir = path.resolve(options.dir);
  // The plan looks its features up from the repository root, so that is where the feature goes,
  // even when init runs in a subdirectory.
  const root = enclosingRepoRoot(dir) ?? dir;
  const files = [
    { base: dir, file: path.join(dir, DEFAULT_PLAN), text: STARTER_PLAN },
    { base: root, file: path.join(root, DEFAULT_RUN_SETTINGS.features, STARTER_FEATURE_ID, 'PROMPT.md'), text: STARTER_PROMPT },
  ];
  const shown = (file: string) => path.relative(process.cwd(), file) || file;
  // A branch landed in this checkout may hold symlinks (an agent's work): never write through one.
  const links = [...new Set(files.map(({ base, file }) => symlinkOnTheWay(base, file)).filter((link) => link !== undefined))];
  if (links.length) {
    throw new UserError(`not writing through the symlink${links.length > 1 ? 's' : ''} ${links.map((link) => `\`${shown(link)}\``).join(' and ')}`, {
      hint: 'check where the link points; move it away, or run `ccwave init` in another folder',
    });
  }
  const existing = files.filter(({ file }) => existsSync(file)).map(({ file }) => shown(file));
  if (existing.length) {
    throw new UserError(`not overwriting ${existing.join(' and ')}`, { hint: 'move the existing files away, or run `ccwave init` in another folder' });
  }
  for (const { file, text } of files) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text, { flag: 'wx' });
    io.out(`wrote ${shown(file)}\n`);
  }
  io.out(`\nnext: describe the feature, then \`ccwave validate\` and \`ccwave run\`\n`);
  return EXIT.ok;
}

/** The first symlink among `file` and the folders between `dir` and it, if any. */
function symlinkOnTheWay(dir: string, file: string): string | undefined {
  const parts = path.relative(dir, file).split(path.sep);
  for (let i = 1; i <= parts.length; i++) {
    const step = path.join(dir, ...parts.slice(0, i));
    try {
      if (lstatSync(step).isSymbolicLink()) return step;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
