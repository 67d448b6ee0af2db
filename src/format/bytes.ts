const KB = 1024;
const MB = 1024 * KB;

/**
 * A size as a limit message gives it: "257 KB", "10.4 MB", "1 MB". Rounded up, so a file over a
 * limit never reads as equal to it ("256 KB; the limit is 256 KB").
 */
export function formatBytes(bytes: number): string {
  if (bytes < KB) return `${bytes} B`;
  if (bytes < MB) return `${Math.ceil(bytes / KB)} KB`;
  const mb = bytes / MB;
  return Number.isInteger(mb) ? `${mb} MB` : `${(Math.ceil(mb * 10) / 10).toFixed(1)} MB`;
}
