import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diskFullMessage } from '../../src/cli/disk-full.js';
import { noSpaceError } from '../../src/errors.js';

/** A real ENOSPC, from the kernel: /dev/full refuses every write with it. */
function writeToFullDevice(): unknown {
  try {
    writeFileSync('/dev/full', 'x');
  } catch (error) {
    return error;
  }
  throw new Error('/dev/full accepted a write');
}

describe('a full disk at the top-level boundary', () => {
  it('is recognised, also when wrapped, and told as what it is with how to go on', () => {
    const raw = writeToFullDevice();
    const wrapped = new Error('could not append to the journal', { cause: raw });
    expect(noSpaceError(raw)?.code).toBe('ENOSPC');
    const found = noSpaceError(wrapped);
    expect(found).toBe(raw);
    const { message, hint } = diskFullMessage(found!);
    expect(message).toBe('the disk is full (ENOSPC). ccwave stopped; a run in progress was left as it was and can be resumed: nothing it finished is lost.');
    expect(hint).toMatch(/free some space.*`ccwave run` resumes the run/);
  });

  it('other errors are not taken for it', () => {
    expect(noSpaceError(new Error('ENOSPC in a message only'))).toBeUndefined();
    expect(noSpaceError(Object.assign(new Error('denied'), { code: 'EACCES' }))).toBeUndefined();
    expect(noSpaceError('ENOSPC')).toBeUndefined();
  });
});
