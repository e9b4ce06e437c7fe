import { addDays } from '@ledger/domain';
import { Clock } from '../clock';

/** A clock tests move by hand, so that terms end and grants expire on cue. */
export class MovableClock extends Clock {
  private current: Date;

  constructor(start: string) {
    super();
    this.current = new Date(start);
  }

  override now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = new Date(iso);
  }

  advanceDays(days: number): string {
    this.current = new Date(addDays(this.current.toISOString(), days));
    return this.current.toISOString();
  }
}
