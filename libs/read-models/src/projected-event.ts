import { metadataOf } from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';

/** When the ledger recorded an event (its metadata's `recordedAt`, from the ledger's clock). */
export function recordedAtOf(event: RecordedEvent): string {
  return String(metadataOf(event).recordedAt);
}
