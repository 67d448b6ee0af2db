import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';

type NodePty = typeof import('node-pty');

const require = createRequire(import.meta.url);
/** Where ccwave is installed: node-pty is rebuilt from there. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let loaded: NodePty | undefined;

/**
 * node-pty, loaded on first use. Its native part is built by an install script; npm can skip
 * those (npm 11 asks before running them), and then loading fails with a stack trace that says
 * nothing about the fix. Only commands that start agents need it, so only they pay for the check.
 */
export function nodePty(): NodePty {
  if (loaded) return loaded;
  try {
    loaded = require('node-pty') as NodePty;
    return loaded;
  } catch (error) {
    const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new UserError(`node-pty, which runs the agents in terminals, could not be loaded: ${why}`, {
      hint: `run \`npm rebuild node-pty\` in ${PACKAGE_ROOT} (building it needs Python 3, make and a C++ compiler), then try again`,
    });
  }
}
