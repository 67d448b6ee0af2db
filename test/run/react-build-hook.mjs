// Preloaded with `node --import` into the built CLI: each file of React's builds notes itself in the
// file named by $REACT_BUILD_LOG when it runs (not when it is only read: Node's ESM loader reads both
// builds to find their export names), so a test can tell which build the CLI uses.
import { registerHooks } from 'node:module';

registerHooks({
  load(url, context, next) {
    const loaded = next(url, context);
    if (!/\/react(-reconciler)?\/cjs\/[^/]+\.js$/.test(url)) return loaded;
    const note = `require('node:fs').appendFileSync(process.env.REACT_BUILD_LOG, ${JSON.stringify(`${url}\n`)});\n`;
    return { ...loaded, source: note + String(loaded.source) };
  },
});
