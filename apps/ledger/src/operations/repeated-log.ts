/**
 * Keeps one log line per kind of error per interval: the first is logged, the repeats until the interval ends
 * are counted and their number goes with the next line logged. A full disk failing every write logs a line
 * every ten seconds, not a stack per request.
 */
export class RepeatedLog {
  private readonly seen = new Map<string, { until: number; held: number }>();

  constructor(
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
    private readonly maxKinds = 1000,
  ) {}

  /**
   * Whether to log an error of this kind now. Returns the number of repeats held back since the last line
   * of its kind (0 for a first), or undefined when this one is held back too.
   */
  admit(kind: string): number | undefined {
    const now = this.now();
    const entry = this.seen.get(kind);
    if (entry && now < entry.until) {
      entry.held += 1;
      return undefined;
    }
    this.seen.delete(kind);
    this.seen.set(kind, { until: now + this.intervalMs, held: 0 });
    if (this.seen.size > this.maxKinds) this.seen.delete(this.seen.keys().next().value as string);
    return entry?.held ?? 0;
  }

  /** Logs through `write` unless held back; a line after repeats says how many there were. */
  log(kind: string, line: string, write: (line: string) => void): void {
    const held = this.admit(kind);
    if (held === undefined) return;
    write(held > 0 ? `${line} (and ${held} more like it in the last ${Math.round(this.intervalMs / 1000)} s)` : line);
  }
}
