import type { LedgerEvent } from '../events';

/** An event as projections see it: the domain event, the id that names it, and when it was recorded. */
export type ProjectedEvent<E extends LedgerEvent = LedgerEvent> = E & {
  readonly id: string;
  readonly recordedAt: string;
};
