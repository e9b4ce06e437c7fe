import { createHash } from 'node:crypto';
import { jsonEvent, NO_STREAM, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import { eventIdFor, scopedCommandId } from '../event-ids';
import type { RecordedEvent } from '../event-store.port';
import { RefusalLog, type RefusalRecord, type StoredRefusal } from '../refusal-log';
import { toPortError } from './esdb-mapping';
import type { EventStoreDbEventStore } from './eventstoredb-event-store';
import { readAllFiltered } from './grpc-read';

/** The streams that hold refusals, one per refused command (outside the ledger's prefixes). */
export const REFUSAL_STREAM_PREFIX = 'ledger_refusal-';

/** A command's refusal stream: named by a digest of the client's command id, which may hold any character. */
function refusalStream(client: string, commandId: string): string {
  return REFUSAL_STREAM_PREFIX + createHash('sha256').update(scopedCommandId(client, commandId)).digest('base64url');
}

/** A refusal's sequence on EventStoreDB is its commit position: it orders refusals as the log does. */
function toStored(event: RecordedEvent): StoredRefusal {
  return { ...(event.data as RefusalRecord), sequence: event.position.commit };
}

/**
 * The refusal log in the cluster's own log, so every replica answers a retried refused command alike: each
 * refusal is the one event of a stream of its own (the first refusal of a command id is kept: the second
 * append expects no stream), and refusals are listed in log order by a filtered read of `$all`. It goes
 * through the event store's connection, which the store closes.
 */
export class EventStoreDbRefusalLog extends RefusalLog {
  constructor(private readonly store: EventStoreDbEventStore) {
    super();
  }

  override async record(refusal: RefusalRecord): Promise<void> {
    const stream = refusalStream(refusal.client, refusal.commandId);
    const id = eventIdFor(`${scopedCommandId(refusal.client, refusal.commandId)}#refused`, 0);
    try {
      await this.store.client.appendToStream(stream, jsonEvent({ id, type: 'CommandRefused', data: { ...refusal } }), { streamState: NO_STREAM });
    } catch (error) {
      // Refused before (by this replica or another): the first refusal stands.
      if (error instanceof WrongExpectedVersionError) return;
      throw toPortError(error, stream, 'no-stream');
    }
  }

  override async find(client: string, commandId: string): Promise<StoredRefusal | undefined> {
    const [refusal] = await this.store.readStream(refusalStream(client, commandId));
    return refusal && toStored(refusal);
  }

  override async list({ after, limit }: { after?: bigint; limit: number }): Promise<StoredRefusal[]> {
    try {
      const events = await readAllFiltered(this.store.client, {
        // A forward read includes the event at its position; one more is read to leave it out.
        from: after === undefined ? 'start' : { commit: after, prepare: after },
        direction: 'forwards',
        maxCount: limit + 1,
        prefixes: [REFUSAL_STREAM_PREFIX],
      });
      return events.filter((event) => after === undefined || event.position.commit > after).slice(0, limit).map(toStored);
    } catch (error) {
      throw toPortError(error, '$all', 'any');
    }
  }

  override async close(): Promise<void> {
    // The connection is the event store's.
  }
}
