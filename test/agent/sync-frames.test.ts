import { describe, expect, it } from 'vitest';
import { SYNC_FRAME_MAX_BYTES, SyncFrameBuffer } from '../../src/agent/sync-frames.js';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';
const text = (parts: Buffer[]): string => Buffer.concat(parts).toString('latin1');

describe('SyncFrameBuffer', () => {
  it.each([
    ['plain output passes through', ['hello'], ['hello']],
    ['a whole frame passes at once', [`a${BSU}frame${ESU}b`], [`a${BSU}frame${ESU}b`]],
    ['a frame split over chunks is held until it closes', ['a' + BSU + 'fr', 'am', 'e' + ESU + 'b'], ['a', '', BSU + 'frame' + ESU + 'b']],
    ['a begin marker split across chunks', ['x\x1b[?20', '26hy' + ESU], ['x', BSU + 'y' + ESU]],
    ['an end marker split across chunks', [BSU + 'y\x1b[?20', '26lz'], ['', BSU + 'y' + ESU + 'z']],
    ['two frames in one chunk', [`${BSU}1${ESU}${BSU}2${ESU}`], [`${BSU}1${ESU}${BSU}2${ESU}`]],
  ])('%s', (_name, chunks, expected) => {
    const frames = new SyncFrameBuffer();
    const out = chunks.map((c) => text(frames.push(Buffer.from(c, 'latin1'))));
    expect(out).toEqual(expected);
    expect(frames.inFrame).toBe(false);
  });

  it('holds an open frame until flushed (the caller times it out)', () => {
    const frames = new SyncFrameBuffer();
    expect(text(frames.push(Buffer.from(`${BSU}half`)))).toBe('');
    expect(frames.inFrame).toBe(true);
    expect(text(frames.flush())).toBe(`${BSU}half`);
    expect(frames.inFrame).toBe(false);
  });

  it('lets a frame through once it exceeds the cap', () => {
    const frames = new SyncFrameBuffer();
    const big = Buffer.alloc(SYNC_FRAME_MAX_BYTES + 10, 'x');
    const out = frames.push(Buffer.concat([Buffer.from(BSU), big]));
    expect(Buffer.concat(out).length).toBe(BSU.length + big.length);
    expect(frames.inFrame).toBe(false);
  });
});
