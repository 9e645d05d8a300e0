/**
 * The progress line on standard error while a capture is read: bytes of total, rate and
 * time left (for standard input without a size: bytes and rate). At most a few updates a
 * second, cleared at the end; shown only on a terminal.
 */

/** Time between two updates of the line. */
const UPDATE_INTERVAL_MS = 250;

export class ProgressLine {
  private readonly started = performance.now();
  private lastUpdate = 0;
  private shown = false;

  constructor(private readonly write: (text: string) => void) {}

  update(bytesRead: number, totalBytes: number | undefined): void {
    const now = performance.now();
    if (now - this.lastUpdate < UPDATE_INTERVAL_MS) return;
    this.lastUpdate = now;
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? bytesRead / seconds : 0;
    let text = `reading ${megabytes(bytesRead)}`;
    if (totalBytes !== undefined && totalBytes > 0) {
      const left = rate > 0 ? (totalBytes - bytesRead) / rate : 0;
      text += ` of ${megabytes(totalBytes)} (${Math.min(100, (100 * bytesRead) / totalBytes).toFixed(0)} %)`;
      text += `, ${megabytes(rate)}/s, ${Math.ceil(left)} s left`;
    } else {
      text += `, ${megabytes(rate)}/s`;
    }
    this.write(`\r${text}\u001b[K`);
    this.shown = true;
  }

  /** Removes the line, so the report starts on a clean terminal. */
  clear(): void {
    if (this.shown) this.write("\r\u001b[K");
    this.shown = false;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
}
