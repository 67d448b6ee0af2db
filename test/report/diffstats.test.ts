import { describe, expect, it } from 'vitest';
import { GitExec } from '../../src/git/exec.js';
import { diffStat, diffStats } from '../../src/report/diffstat.js';
import { makeRepo } from '../helpers/repo.js';

describe('diffStats', () => {
  it('says for every range, from one git process, what diffStat says of it alone', async () => {
    const r = makeRepo();
    try {
      const base = r.sha('HEAD');
      const a = r.commit({ 'a.txt': 'one\ntwo\n', 'tab\tname.txt': 'x\n' }, 'a');
      const b = r.commit({ 'a.txt': 'one\n', 'bin.dat': '\0\x01\x02' }, 'b');
      r.git('checkout', '-q', '-b', 'side', base);
      const c = r.commit({ 'c.txt': 'c\n' }, 'c');
      r.git('checkout', '-q', 'main');
      r.git('merge', '-q', '--no-ff', '-m', 'merge c', 'side');
      const merge = r.sha('HEAD');
      const ranges = [
        { from: base, to: a },
        { from: a, to: b },
        { from: b, to: merge },
        // The same `to` twice, and an empty range: each read on its own.
        { from: base, to: b },
        { from: base, to: c },
        { from: c, to: c },
        { from: b, to: a },
      ];
      const exec = new GitExec(r.dir);
      const alone = await Promise.all(ranges.map((range) => diffStat(exec, range.from, range.to)));
      expect(await diffStats(exec, ranges)).toEqual(alone);
      expect(alone[2]).toMatchObject({ filesChanged: 1, files: ['c.txt'] });
      expect(alone[0]!.files).toEqual(['a.txt', 'tab\tname.txt']);
    } finally {
      r.cleanup();
    }
  });

  it('reads each range alone when git no longer has one of the commits', async () => {
    const r = makeRepo();
    try {
      const base = r.sha('HEAD');
      const a = r.commit({ 'a.txt': 'a\n' }, 'a');
      const gone = 'f'.repeat(40);
      const exec = new GitExec(r.dir);
      expect(
        await diffStats(exec, [
          { from: base, to: a },
          { from: base, to: gone },
        ]),
      ).toEqual([{ filesChanged: 1, insertions: 1, deletions: 0, files: ['a.txt'] }, undefined]);
    } finally {
      r.cleanup();
    }
  });
});
