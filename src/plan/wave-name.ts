/** "Wave 2:" / "Wave 2 -" leading a wave's heading: the number every title already gives. */
const NUMBERED_WAVE = /^wave\s+(\d+)\s*(?:[:.\-–—]\s*|$)/i;

/**
 * What a wave's name adds to its number: "first steps" for "Wave 1: first steps", "" for
 * "Wave 1". A number other than the wave's own (`numbers`: its index, its position) is kept.
 */
export function waveNameBeyondNumber(name: string, numbers: readonly number[]): string {
  const trimmed = name.trim();
  const match = NUMBERED_WAVE.exec(trimmed);
  return match && numbers.includes(Number(match[1])) ? trimmed.slice(match[0].length).trim() : trimmed;
}
