/**
 * Finds stop sequences in streamed text. Text that could still become the start of a stop
 * sequence is held back, so a stop string never leaks into the output.
 */
export class StopDetector {
  private text = "";
  private emitted = 0;
  stopped = false;

  constructor(private readonly stops: readonly string[]) {}

  /** Appends the full decoded text so far; returns the newly safe-to-emit part. */
  update(fullText: string): string {
    if (this.stopped) return "";
    this.text = fullText;
    let end = fullText.length;
    for (const stop of this.stops) {
      const at = fullText.indexOf(stop, Math.max(0, this.emitted - stop.length + 1));
      if (at !== -1 && at < end) {
        end = at;
        this.stopped = true;
      }
    }
    if (!this.stopped) end = Math.min(end, this.text.length - this.partialStopLength());
    // Never emit half of a multi-byte character still being decoded.
    while (end > this.emitted && fullText.charCodeAt(end - 1) === 0xfffd && !this.stopped) end--;
    if (end <= this.emitted) return "";
    const piece = fullText.slice(this.emitted, end);
    this.emitted = end;
    return piece;
  }

  /** Releases held-back text once generation ends without a stop. */
  flush(): string {
    if (this.stopped) return "";
    const piece = this.text.slice(this.emitted);
    this.emitted = this.text.length;
    return piece;
  }

  private partialStopLength(): number {
    let longest = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, this.text.length); n > longest; n--) {
        if (this.text.endsWith(stop.slice(0, n))) {
          longest = n;
          break;
        }
      }
    }
    return longest;
  }
}
