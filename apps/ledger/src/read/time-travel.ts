import { type CustomerEvent, type CustomerView, decodeEvent, evolveCustomerView, inTransientScope, type ProjectedEvent, streamName } from '@ledger/domain';
import { comparePositions, type EventStore, type Position, type RecordedEvent } from '@ledger/event-store';
import { customerViews, type ReadSide, recordedAtOf } from '@ledger/read-models';

export type Cutoff = { readonly time: string } | { readonly position: Position };

export interface PastView {
  readonly view: CustomerView | null;
  /** The moment rights are judged at: the time asked for, or the recording time of the position asked for. */
  readonly evaluatedAt: string;
  /** The last event the view includes. */
  readonly position?: Position;
  /** How many events were replayed on top of the snapshot (at most about a thousand). */
  readonly replayed: number;
}

function isBeyond(event: RecordedEvent, cutoff: Cutoff): boolean {
  return 'time' in cutoff ? Date.parse(recordedAtOf(event)) > Date.parse(cutoff.time) : comparePositions(event.position, cutoff.position) > 0;
}

/**
 * What was true of a customer at a past moment: its stream, read from the log up to the cutoff and folded
 * through the same pure projection the read models use, starting from the latest snapshot before it.
 */
export class TimeTravel {
  constructor(
    private readonly store: EventStore,
    private readonly readSide: ReadSide,
  ) {}

  async customerAsOf(customerId: string, cutoff: Cutoff): Promise<PastView> {
    const snapshot = this.readSide.query(customerViews).snapshotBefore(customerId, cutoff);
    let view: CustomerView | null = snapshot?.view ?? null;
    let position = snapshot?.position;
    let last = snapshot?.recordedAt;
    let replayed = 0;
    const events = await this.store.readStream(streamName('customer', customerId), { fromRevision: BigInt(view?.eventsApplied ?? 0) });
    inTransientScope(() => {
      for (const event of events) {
        if (isBeyond(event, cutoff)) break;
        const projected = decodeEvent(event);
        if (!projected) continue;
        view = evolveCustomerView(view, projected as ProjectedEvent<CustomerEvent>);
        position = event.position;
        last = projected.recordedAt;
        replayed += 1;
      }
    });
    const evaluatedAt = 'time' in cutoff ? new Date(cutoff.time).toISOString() : (last ?? new Date(0).toISOString());
    return { view, evaluatedAt, position, replayed };
  }
}
