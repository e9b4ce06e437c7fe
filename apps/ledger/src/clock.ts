/** The ledger's clock: the only source of time for decisions and records. Tests inject one they move. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  override now(): Date {
    return new Date();
  }
}
