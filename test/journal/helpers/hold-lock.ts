// Child process for the lock tests: takes the lock, says so, and holds it until stdin closes.
import { acquireLock } from '../../../src/journal/lock.js';
import { UserError } from '../../../src/errors.js';

const [dataDir, runId, command] = process.argv.slice(2);
if (!dataDir || !runId || !command) throw new Error('usage: hold-lock <data-dir> <run-id> <command>');
try {
  const lock = acquireLock(dataDir, { runId, command });
  process.stdout.write(`locked ${lock.takenOver ? `(took over: ${lock.takenOver.why})` : ''}\n`);
  process.stdin.resume();
  // Releases through the lock's exit handler when the parent closes our stdin.
  process.stdin.on('end', () => process.exit(0));
} catch (error) {
  if (!(error instanceof UserError)) throw error;
  process.stdout.write(`refused: ${error.message}\n`);
  process.exit(2);
}
