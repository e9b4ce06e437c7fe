import { isLedgerEventType, type LedgerEvent, type ProjectedEvent } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';

/** When the ledger recorded an event (its metadata's `recordedAt`, from the ledger's clock). */
export function recordedAtOf(event: RecordedEvent): string {
  return String(event.metadata.recordedAt);
}

/** A stored event as the pure projections see it, or undefined for an event type the ledger does not know. */
export function projectedEventOf(event: RecordedEvent): ProjectedEvent<LedgerEvent> | undefined {
  if (!isLedgerEventType(event.type)) return undefined;
  return { type: event.type, data: event.data, id: event.id, recordedAt: recordedAtOf(event) } as ProjectedEvent<LedgerEvent>;
}
