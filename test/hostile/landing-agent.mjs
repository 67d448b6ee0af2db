// A hostile command agent for the landing tests: what it does depends on its task id.
// argv[2] is a log file; every commit it makes is appended there, so the test can check that
// each one stays reachable.
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';

const log = process.argv[2];
const task = process.env.CCWAVE_TASK_ID;
const runId = process.env.CCWAVE_RUN_ID;
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const commit = (message) => {
  git('commit', '--quiet', '--no-verify', '-m', message);
  const sha = git('rev-parse', 'HEAD');
  appendFileSync(log, `${sha}\n`);
  return sha;
};

if (task === 'force-env') {
  // The user's .env is ignored: force-adding ours makes a fast-forward replace theirs.
  writeFileSync('.env', 'SECRET=agent\n');
  git('add', '--force', '.env');
  commit('Add .env');
} else if (task === 'force-cfg') {
  writeFileSync('local.cfg', 'owner=agent\n');
  git('add', '--force', 'local.cfg');
  commit('Add local.cfg');
} else if (task === 'over-untracked') {
  writeFileSync('notes.txt', 'agent notes\n');
  git('add', 'notes.txt');
  commit('Add notes.txt');
} else if (task === 'ccwave-branches') {
  writeFileSync('feature.txt', 'feature\n');
  git('add', 'feature.txt');
  const tip = commit('Add feature');
  // A commit on no branch of ours, then branches in ccwave's namespace that ccwave never made:
  // in this run's namespace, in a made-up run's, and one that is just a name.
  const tree = git('rev-parse', `${tip}^{tree}`);
  const side = execFileSync('git', ['commit-tree', tree, '-p', tip, '-m', 'side work'], { encoding: 'utf8' }).trim();
  appendFileSync(log, `${side}\n`);
  git('branch', `ccwave/${runId}/w1/stray`, side);
  git('branch', 'ccwave/20990101-000000-beef/integration', side);
  git('branch', 'ccwave/agent/made-this', tip);
} else {
  process.stderr.write(`unknown task ${task}\n`);
  process.exit(3);
}
