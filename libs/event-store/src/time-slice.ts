import { performance } from 'node:perf_hooks';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

/**
 * Long work in slices: lets the event loop turn once a slice has run for `budgetMs`, so a service doing the
 * work keeps answering (its requests wait one slice at most, not the whole work).
 */
export class TimeSlice {
  private sliceStart = performance.now();

  constructor(private readonly budgetMs = 8) {}

  /** Whether this slice has used its budget (checked without awaiting, so cheap per item). */
  due(): boolean {
    return performance.now() - this.sliceStart >= this.budgetMs;
  }

  /** Lets the event loop turn, then starts a new slice. */
  async pause(): Promise<void> {
    await nextMacrotask();
    this.sliceStart = performance.now();
  }
}
