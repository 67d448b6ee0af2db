import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../../errors.js';
import { commitFiles, initRepo, setRepoIdentity } from '../../git/new-repo.js';
import { nodePty } from '../../agent/node-pty.js';
import { processIO, type CommandIO } from '../command-io.js';
import { runCommand } from './run.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEMO = path.join(PACKAGE_ROOT, 'fixtures/demo');
const FAKE_AGENT = path.join(PACKAGE_ROOT, 'fixtures/fake-agent/fake-agent.mjs');
const FEATURES = path.join(PACKAGE_ROOT, 'feature-management/features');

export interface DemoOptions {
  /** Where to create the sample repository; a new temp folder by default. */
  dir?: string;
  tui: boolean;
}

/** `ccwave demo`: a sample repository, a two-wave plan and the fake agent, run for real. */
export async function demoCommand(options: DemoOptions, io: CommandIO = processIO): Promise<number> {
  // Before the sample repository is made: without node-pty the demo cannot start its agents.
  nodePty();
  const dir = options.dir ? path.resolve(options.dir) : path.join(mkdtempSync(path.join(tmpdir(), 'ccwave-demo-')), 'textkit');
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new UserError(`${dir} is not empty`, { hint: 'give --dir a new or empty folder' });
  }
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(DEMO, 'repo'), dir, { recursive: true });
  cpSync(FEATURES, path.join(dir, 'feature-management/features'), { recursive: true });
  const plan = readFileSync(path.join(DEMO, 'WAVES.md'), 'utf8').replace('{{FAKE_AGENT}}', FAKE_AGENT);
  writeFileSync(path.join(dir, 'WAVES.md'), plan);
  initRepo(dir, 'main');
  // The sample repository commits as the demo, whatever the machine's git identity.
  setRepoIdentity(dir, { name: 'ccwave demo', email: 'demo@ccwave.invalid' });
  commitFiles(dir, 'all', 'textkit: the sample project');
  process.env.FAKE_AGENT_SCRIPT_DIR = path.join(DEMO, 'scripts');
  process.env.FAKE_AGENT_STATE_DIR = path.join(path.dirname(dir), 'fake-agent-sessions');
  io.out(`ccwave demo: sample repository in ${dir}\n\n`);
  const code = await runCommand({ plan: path.join(dir, 'WAVES.md'), tui: options.tui }, io);
  io.out(
    [
      '',
      `The result is in ${dir}:`,
      `  the merged waves:    git -C ${dir} log --graph --oneline main`,
      `  the retrospectives:  ls ${path.join(dir, 'waves/retros')}`,
      `  the run's journal:   cd ${dir} && ccwave status`,
      '',
    ].join('\n'),
  );
  return code;
}
