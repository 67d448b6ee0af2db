import { existsSync, realpathSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './temp.js';

let forTheFile: string;
const madeInTests: string[] = [];

beforeAll(() => {
  forTheFile = tempDir();
});

describe('tempDir', () => {
  it('is a fresh folder named by its real path', () => {
    const dir = tempDir('ccwave-probe-');
    madeInTests.push(dir);
    expect(existsSync(dir)).toBe(true);
    expect(realpathSync(dir)).toBe(dir);
    expect(tempDir('ccwave-probe-')).not.toBe(dir);
  });

  it("is gone once the test that made it is over; one made in beforeAll lasts for the file's tests", () => {
    expect(madeInTests).toHaveLength(1);
    expect(existsSync(madeInTests[0]!)).toBe(false);
    expect(existsSync(forTheFile)).toBe(true);
  });
});
