/**
 * A job the service runs on its own at an interval, one run at a time: the next run starts `intervalMs`
 * after the last one ended (the first at once), a failed run is reported and the next one tries again, and
 * a run asked for while one is going is answered by that one.
 */
export class PeriodicJob<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<T>;

  constructor(
    private readonly job: () => Promise<T>,
    private readonly options: { readonly intervalMs: number; readonly onError?: (error: unknown) => void },
  ) {}

  /** Starts the runs at the interval; an interval of 0 runs it only when asked. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    const tick = (): void => {
      this.runOnce().catch((error: unknown) => this.options.onError?.(error)).finally(() => {
        if (this.timer) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  /** Stops the runs and waits for the one going, if any. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  runOnce(): Promise<T> {
    this.running ??= this.job().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
