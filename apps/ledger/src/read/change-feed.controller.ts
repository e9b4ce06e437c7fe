import { once } from 'node:events';
import { Controller, Headers, Inject, type MessageEvent, Query, Req, Sse } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import { decodeEvent, EVENT_SCHEMA_VERSIONS, metadataOf, parseStreamName, policyOfEvent, streamName } from '@ledger/domain';
import { comparePositions, encodePositionToken, EventStore, type RecordedEvent } from '@ledger/event-store';
import { Caller, RequireScope } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import type { LedgerConfig } from '../config/ledger-config';
import { LEDGER_CONFIG } from '../config/config.token';
import { ApiAnswer, ApiProblems, GUARDED } from '../http/api-contract';
import { FEED_ITEM } from '../http/answer-schemas';
import { positionFromRequest } from '../http/position-param';
import { HttpProblem } from '../problems/http-problem';
import { ChangeFeedQuery } from './query.dto';
import { ReadAccess } from './read-access';

/** A comment line this often keeps proxies from closing a quiet feed. */
const KEEP_ALIVE_MS = 15_000;

/** One event as the feed sends it: what a downstream service acts on, without the audit metadata. */
export interface FeedItem {
  readonly position: string;
  readonly stream: string;
  readonly category: 'customer' | 'partner';
  /** The customer's or partner's id. */
  readonly id: string;
  readonly revision: string;
  readonly eventId: string;
  readonly type: string;
  /** The schema version of `data`: the current one (older events are upcast). */
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly recordedAt: string;
  readonly policy: string;
  readonly correlationId: string;
}

/**
 * The change feed: every event of the log as Server-Sent Events, in log order, first those already recorded
 * after the position the caller resumes from, then each new one as it is appended. A reader gets only the
 * events of customers and partners it may read (as the queries decide), so a credential bound to a customer
 * follows that customer alone.
 */
@ApiTags('change feed')
@ApiBearerAuth()
@RequireScope('read')
@Controller('events')
export class ChangeFeedController {
  private open = 0;

  constructor(
    private readonly store: EventStore,
    private readonly access: ReadAccess,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Sse()
  @ApiOperation({
    summary: 'Follow the log: each event as a Server-Sent Event whose id is its position, resumable with Last-Event-ID',
    description: 'Each message is `event: <type>`, `id: <position token>` and `data: <FeedItem JSON>`. A client that ' +
      'reconnects sends the last id it saw as Last-Event-ID (browsers do so by themselves) and gets every later event once. ' +
      'Without one the feed starts at `after`, or at the beginning of the log. A comment line is sent every 15 s. ' +
      'With `follow=false` the feed ends after the last event recorded when it was asked for (a batch catching up).',
  })
  @ApiAnswer(200, 'The feed: `event: <type>`, `id: <position>`, `data: <the event below, as JSON>` per event.', FEED_ITEM, [], 'text/event-stream')
  @ApiProblems(...GUARDED)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last message received: the feed goes on after it.' })
  follow(
    @Caller() caller: Principal,
    @Query() query: ChangeFeedQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
  ): Observable<MessageEvent> {
    const after = lastEventId ? positionFromRequest(lastEventId, 'Last-Event-ID')
      : query.after ? positionFromRequest(query.after, 'after') : undefined;
    if (this.open >= this.config.feedMaxClients) {
      throw new HttpProblem(503, 'TOO_MANY_FEEDS', `${this.open} change feeds are open, as many as this ledger serves at once; retry shortly.`,
        {}, { 'Retry-After': '5' });
    }
    const wanted = matcher(query);
    const follow = query.follow !== 'false';
    return new Observable<MessageEvent>((subscriber) => {
      this.open += 1;
      const subscription = this.store.subscribeToAll({ after });
      const keepAlive = setInterval(() => subscriber.next({ comment: 'keep-alive' } as unknown as MessageEvent), KEEP_ALIVE_MS);
      const response = request.res;
      const hungUp = new AbortController();
      void (async () => {
        // Not following: the feed ends with the last event recorded when it was asked for.
        const end = follow ? undefined : await this.store.headPosition();
        if (!follow && (!end || (after && comparePositions(after, end) >= 0))) return;
        for await (const event of subscription) {
          if (subscriber.closed) break;
          const item = wanted(event) ? this.visible(caller, event) : undefined;
          if (item) subscriber.next({ id: item.position, type: item.type, data: item });
          if (end && comparePositions(event.position, end) >= 0) break;
          // A client that reads slower than the log is read waits here, not in memory.
          if (response?.writableNeedDrain) await once(response, 'drain', { signal: hungUp.signal });
        }
      })().then(() => subscriber.complete(), (error: unknown) => subscriber.error(error));
      return () => {
        this.open -= 1;
        hungUp.abort(); // a client gone while the feed waited for it to read: stop waiting
        clearInterval(keepAlive);
        void subscription.close();
      };
    });
  }

  /** The event as the feed sends it, if the caller may read its customer or partner. */
  private visible(caller: Principal, event: RecordedEvent): FeedItem | undefined {
    const owner = parseStreamName(event.stream);
    if (!owner) return undefined;
    const allowed = owner.category === 'customer' ? this.access.mayReadCustomer(caller, owner.id) : this.access.mayReadPartner(caller, owner.id);
    const decoded = allowed ? decodeEvent(event) : undefined;
    if (!decoded) return undefined;
    const metadata = metadataOf(event);
    return {
      position: encodePositionToken(event.position), stream: event.stream, category: owner.category, id: owner.id,
      revision: event.revision.toString(), eventId: event.id, type: event.type, schemaVersion: EVENT_SCHEMA_VERSIONS[decoded.type],
      data: decoded.data, recordedAt: metadata.recordedAt, policy: policyOfEvent(metadata), correlationId: metadata.correlationId,
    };
  }
}

/** The caller's filters, as one test of an event's stream and type. */
function matcher(query: ChangeFeedQuery): (event: RecordedEvent) => boolean {
  const types = query.type ? new Set(query.type.split(',')) : undefined;
  const stream = query.customerId ? streamName('customer', query.customerId) : query.partnerId ? streamName('partner', query.partnerId) : undefined;
  const prefix = query.category ? `${query.category}-` : undefined;
  return (event) => (!types || types.has(event.type)) && (!stream || event.stream === stream) && (!prefix || event.stream.startsWith(prefix));
}
