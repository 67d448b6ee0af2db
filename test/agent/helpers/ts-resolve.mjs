// Lets plain `node` run this repo's TypeScript sources (Node ≥ 22.18 strips types natively):
// the sources import `./x.js`, which exists only after a build, so fall back to `./x.ts`.
// Used by child processes that tests spawn: `node --import <this file> child.mjs`.
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return nextResolve(specifier.slice(0, -3) + '.ts', context);
      }
      throw error;
    }
  },
});
