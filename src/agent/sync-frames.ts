/**
 * Holds back DEC mode 2026 "synchronized output" frames (`ESC[?2026h` … `ESC[?2026l`) until they
 * close, so the screen model never shows half a redraw. Claude Code wraps every redraw in one.
 * A frame that never closes is released by the caller's timeout (`flush`) or by the byte cap.
 */
const BEGIN = Buffer.from('\x1b[?2026h');
const END = Buffer.from('\x1b[?2026l');

/** A frame larger than this is not a redraw any more: let it through rather than hoard memory. */
export const SYNC_FRAME_MAX_BYTES = 1024 * 1024;

export class SyncFrameBuffer {
  #held: Buffer[] = [];
  #heldBytes = 0;
  #inFrame = false;

  /** True while a frame has begun and not ended: the caller arms its safety timeout. */
  get inFrame(): boolean {
    return this.#inFrame;
  }

  /** Takes one output chunk; returns what may be shown now, in order. */
  push(chunk: Buffer): Buffer[] {
    const data = this.#heldBytes > 0 ? Buffer.concat([...this.#held, chunk]) : chunk;
    this.#held = [];
    this.#heldBytes = 0;
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < data.length) {
      if (!this.#inFrame) {
        const begin = data.indexOf(BEGIN, pos);
        if (begin < 0) {
          const keep = partialSuffix(data, pos, BEGIN);
          if (data.length - keep > pos) out.push(data.subarray(pos, data.length - keep));
          this.#hold(data.subarray(data.length - keep));
          return out;
        }
        if (begin > pos) out.push(data.subarray(pos, begin));
        this.#inFrame = true;
        pos = begin;
        continue;
      }
      const end = data.indexOf(END, pos + BEGIN.length);
      if (end < 0) {
        this.#hold(data.subarray(pos));
        if (this.#heldBytes > SYNC_FRAME_MAX_BYTES) out.push(...this.flush());
        return out;
      }
      out.push(data.subarray(pos, end + END.length));
      this.#inFrame = false;
      pos = end + END.length;
    }
    return out;
  }

  /** Releases whatever is held (the frame timed out, or the process ended). */
  flush(): Buffer[] {
    const out = this.#heldBytes > 0 ? [Buffer.concat(this.#held)] : [];
    this.#held = [];
    this.#heldBytes = 0;
    this.#inFrame = false;
    return out;
  }

  #hold(part: Buffer): void {
    if (part.length === 0) return;
    // Copy: node-pty may reuse the chunk's memory.
    this.#held.push(Buffer.from(part));
    this.#heldBytes += part.length;
  }
}

/** Length of the longest tail of `data[from..]` that is a proper prefix of `marker`. */
function partialSuffix(data: Buffer, from: number, marker: Buffer): number {
  const max = Math.min(marker.length - 1, data.length - from);
  for (let n = max; n > 0; n--) {
    if (data.subarray(data.length - n).equals(marker.subarray(0, n))) return n;
  }
  return 0;
}
