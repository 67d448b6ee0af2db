// The runner's agent side without the rest of ccwave: PtyHost (node-pty + raw log + sync-frame
// buffer + @xterm/headless screen model) from dist/, with the Claude screen rules read the way the
// agent session reads them (a throttled read 100 ms after output, and a 1 s tick).
// Run as its own process so its CPU and RSS are the runner's alone:
//   node bench/lib/pty-harness.mjs '{"mode":"flood","agents":8,"floodMs":10000}'
//   node bench/lib/pty-harness.mjs '{"mode":"idle","steps":[16,32,48,64]}'
// Prints one JSON object on stdout. BENCH_RAWLOG=/dev/null sends the raw logs nowhere (to see their cost).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { memOf } from './proc.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const load = (p) => import(pathToFileURL(path.join(ROOT, 'dist', p)).href);
const { PtyHost } = await load('agent/pty-host.js');
const { claudeScreenRules21: rules } = await load('agent/claude/screen-rules-2.1.js');
const { SCREEN_READ_MS, SCREEN_TICK_MS } = await load('agent/session-timing.js');
const { ScreenModel } = await load('agent/screen-model.js');

const options = JSON.parse(process.argv[2] ?? '{}');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'ccwave-bench-pty-'));
const env = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const gc = () => globalThis.gc?.();

/** One agent in a PtyHost, its screen classified as the agent session does. */
function launch(argv, extraEnv, index) {
  const host = new PtyHost({ argv, cwd: tmp, env: { ...env, ...extraEnv }, rawLogPath: process.env.BENCH_RAWLOG ?? path.join(tmp, `agent-${index}`, 'pty.log') });
  const agent = { host, kinds: {}, last: 'unknown', reads: 0, activity: undefined };
  let pending = false;
  const read = async () => {
    if (host.hasExited) return;
    await host.screen.settled();
    const lines = host.screen.visibleLines();
    agent.activity = rules.summarize(lines);
    agent.last = rules.classify(lines, new Date()).kind;
    agent.kinds[agent.last] = (agent.kinds[agent.last] ?? 0) + 1;
    agent.reads++;
  };
  host.onOutput(() => {
    if (pending) return;
    pending = true;
    setTimeout(() => {
      pending = false;
      void read();
    }, SCREEN_READ_MS);
  });
  agent.tick = setInterval(() => void read(), SCREEN_TICK_MS);
  agent.read = read;
  return agent;
}

async function stopAll(agents) {
  await Promise.all(
    agents.map(async (a) => {
      clearInterval(a.tick);
      await a.host.stop({ polite: { text: '/exit' }, politeMs: 5000, termMs: 2000 });
      await a.host.close();
      a.host.screen.dispose();
    }),
  );
}

async function waitFor(predicate, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > end) return false;
    await sleep(100);
  }
  return true;
}

async function flood() {
  const n = options.agents ?? 8;
  const floodMs = options.floodMs ?? 10_000;
  const agentScript = path.join(ROOT, 'bench/fixtures/redraw-agent.mjs');
  const report = path.join(tmp, 'reports');
  gc();
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  let cpu0 = process.cpuUsage();
  const agents = Array.from({ length: n }, (_, i) =>
    launch([process.execPath, agentScript, '--session-id', randomUUID(), '--', 'flood'], { BENCH_FLOOD_MS: String(floodMs), BENCH_FLOOD_REPORT: report }, i),
  );
  const samples = [];
  let lastBytes = 0;
  let lastT = t0;
  let peak = before;
  const totalBytes = () => agents.reduce((s, a) => s + a.host.rawBytes, 0);
  const sampler = setInterval(() => {
    const t = performance.now();
    const cpu = process.cpuUsage(cpu0);
    cpu0 = process.cpuUsage();
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    const bytes = totalBytes();
    samples.push({ t: (t - t0) / 1000, cpuPct: ((cpu.user + cpu.system) / 1000 / (t - lastT)) * 100, rss, bytesPerSec: ((bytes - lastBytes) * 1000) / (t - lastT) });
    lastBytes = bytes;
    lastT = t;
  }, 1000);
  await sleep(floodMs + 500);
  // The agents have stopped printing: let the parsers catch up, then wait for the idle screens.
  await Promise.all(agents.map((a) => a.host.screen.settled()));
  const idle = await waitFor(() => agents.every((a) => a.last === 'idle'), 15_000);
  clearInterval(sampler);
  const hwm = memOf(process.pid)?.hwm ?? peak;
  const result = {
    agents: n,
    floodMs,
    bytes: totalBytes(),
    samples,
    rssBefore: before,
    peakRss: Math.max(peak, hwm),
    allIdleAfter: idle,
    kinds: agents.map((a) => a.kinds),
    reads: agents.reduce((s, a) => s + a.reads, 0),
    bufferLines: agents.map((a) => a.host.screen.bufferLength),
  };
  await stopAll(agents);
  if (!process.env.BENCH_RAWLOG) result.replay = await replay(path.join(tmp, 'agent-0', 'pty.log'));
  return result;
}

/** The screen model alone, on one core: one agent's recorded output fed as fast as it parses. */
async function replay(file) {
  const { readFileSync } = await import('node:fs');
  const data = readFileSync(file).subarray(0, 64 * 1024 * 1024);
  const screen = new ScreenModel();
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < data.length; i += 64 * 1024) {
    screen.write(data.subarray(i, i + 64 * 1024));
    if (screen.pendingBytes > 4 * 1024 * 1024) await screen.settled();
  }
  await screen.settled();
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  screen.dispose();
  return { bytes: data.length, ms, cpuMs: (used.user + used.system) / 1000 };
}

async function idle() {
  const steps = options.steps ?? [16, 32, 48, 64];
  const fake = path.join(ROOT, 'fixtures/fake-agent/fake-agent.mjs');
  const script = path.join(tmp, 'idle.json');
  writeFileSync(script, JSON.stringify({ turns: [] }));
  const agentEnv = { FAKE_AGENT_SCRIPT: script, FAKE_AGENT_STATE_DIR: path.join(tmp, 'state') };
  gc();
  await sleep(200);
  gc();
  const m0 = process.memoryUsage();
  const agents = [];
  const points = [{ tasks: 0, rss: m0.rss, heapUsed: m0.heapUsed, external: m0.external, arrayBuffers: m0.arrayBuffers, agentRss: 0 }];
  for (const target of steps) {
    while (agents.length < target) agents.push(launch([process.execPath, fake, '--session-id', randomUUID()], agentEnv, agents.length));
    const ok = await waitFor(() => agents.every((a) => a.last === 'idle'), 120_000);
    if (!ok) throw new Error(`only ${agents.filter((a) => a.last === 'idle').length} of ${agents.length} agents reached their prompt`);
    // Idle: no output, only the 1 s ticks. Let the heap settle before reading it.
    await sleep(1500);
    gc();
    await sleep(200);
    gc();
    const m = process.memoryUsage();
    const agentRss = agents.reduce((s, a) => s + (memOf(a.host.pid)?.rss ?? 0), 0);
    points.push({ tasks: agents.length, rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, agentRss });
  }
  const result = { points, peakRss: memOf(process.pid)?.hwm };
  await stopAll(agents);
  return result;
}

try {
  const result = options.mode === 'idle' ? await idle() : await flood();
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(0);
