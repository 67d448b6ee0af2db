// Runs the ccwave CLI in this process and, at exit, writes the runner's own CPU time (user and
// system, its children excluded), peak RSS and exit time to a JSON file:
//   node bench/lib/measure-cli.mjs OUT.json run WAVES.md --no-tui
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const CLI = path.resolve(import.meta.dirname, '../../dist/cli/main.js');
const [out, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], CLI, ...args];
process.on('exit', (code) => {
  const usage = process.resourceUsage();
  writeFileSync(out, JSON.stringify({ userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, maxRssKiB: usage.maxRSS, exitedAt: Date.now(), code }));
});
await import(pathToFileURL(CLI).href);
