// A stand-in for a ccwave process: starts one fake agent in a PTY, registered for cleanup, prints
// "ready <agent pid>" once the agent runs, then ends the way the test asks:
//   node --import ./ts-resolve.mjs host-child.mjs <exit|sigterm|sigint|uncaught|no-cleanup> <script> <state dir> <cwd>
const [mode, script, stateDir, cwd] = process.argv.slice(2);
const { PtyHost } = await import('../../../src/agent/pty-host.js');
const { PtyRegistry, installProcessCleanup } = await import('../../../src/agent/pty-registry.js');

const registry = new PtyRegistry();
if (mode !== 'no-cleanup') installProcessCleanup(registry);
const host = new PtyHost({
  argv: [process.execPath, new URL('../../../fixtures/fake-agent/fake-agent.mjs', import.meta.url).pathname, '--', 'go'],
  cwd,
  env: { PATH: process.env.PATH ?? '', FAKE_AGENT_SCRIPT: script, FAKE_AGENT_STATE_DIR: stateDir },
  rawLogPath: `${stateDir}/pty.log`,
});
registry.add(host);
let announced = false;
setInterval(() => {
  if (announced || !host.screen.visibleLines().join('\n').includes('ready')) return;
  announced = true;
  process.stdout.write(`ready ${host.pid}\n`);
  if (mode === 'exit' || mode === 'no-cleanup') setTimeout(() => process.exit(0), 50);
  if (mode === 'uncaught')
    setTimeout(() => {
      throw new Error('boom (expected by the test)');
    }, 50);
}, 50);
