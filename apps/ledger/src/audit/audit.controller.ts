import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { metadataOf, policyOfEvent, policyVersionAt, streamName, type StreamCategory } from '@ledger/domain';
import { encodePositionToken, EventStore, type Position, type RecordedEvent, RefusalLog, verifyLog, type VerifyReport } from '@ledger/event-store';
import { InvalidCursorError } from '@ledger/read-models';
import { ApiAnswer, ApiProblems, GUARDED } from '../http/api-contract';
import { DIGEST, HISTORY, REFUSALS } from '../http/answer-schemas';
import { RequireScope } from '../auth/auth.guard';
import { PathId } from '../http/ledger-id.pipe';
import { LedgerMetrics } from '../operations/metrics';
import { HttpProblem } from '../problems/http-problem';
import { positionFromRequest } from '../http/position-param';
import { PageQuery, pageAnswer } from '../read/query.dto';
import { DigestQuery, HistoryQuery } from './audit.dto';

/** Cursors here are a letter (r: a stream revision, s: a refusal's sequence) and a number. */
function numericCursor(cursor: string | undefined, prefix: 'r' | 's', start: bigint): bigint {
  if (cursor === undefined) return start;
  if (!new RegExp(`^${prefix}\\d{1,18}$`).test(cursor)) throw new InvalidCursorError('The cursor is not one this ledger gave.');
  return BigInt(cursor.slice(1));
}

function historyItem(event: RecordedEvent) {
  return {
    position: encodePositionToken(event.position), revision: event.revision.toString(), id: event.id, type: event.type,
    schemaVersion: event.schemaVersion, data: event.data, metadata: event.metadata,
    // The version of the rules it was decided under, also for events recorded before versions were named.
    policy: policyOfEvent(metadataOf(event)),
  };
}

/** Digests of different positions computed at once, at most: each reads the whole log. */
const MAX_DIGESTS_AT_ONCE = 2;

/** What auditors read: every event of a customer or partner with its metadata, the refusals, and the log's digest. */
@ApiTags('audit')
@ApiBearerAuth()
@RequireScope('audit')
@Controller()
export class AuditController {
  /** Digests being computed, by the position asked for ('head' for the log as it is). */
  private readonly digests = new Map<string, Promise<VerifyReport>>();

  constructor(
    private readonly store: EventStore,
    private readonly refusals: RefusalLog,
    private readonly metrics: LedgerMetrics,
  ) {}

  @Get('customers/:customerId/history')
  @ApiOperation({ summary: 'A customer’s events in order, with who acted, through which client, when, and their hashes' })
  @ApiAnswer(200, 'A page of the customer’s events (none for a customer the log does not know).', HISTORY)
  @ApiProblems(...GUARDED)
  customerHistory(@PathId('customerId') customerId: string, @Query() query: HistoryQuery) {
    return this.history('customer', customerId, query);
  }

  @Get('partners/:partnerId/history')
  @ApiOperation({ summary: 'A partner’s events in order, with their metadata' })
  @ApiAnswer(200, 'A page of the partner’s events.', HISTORY)
  @ApiProblems(...GUARDED)
  partnerHistory(@PathId('partnerId') partnerId: string, @Query() query: HistoryQuery) {
    return this.history('partner', partnerId, query);
  }

  @Get('audit/refusals')
  @ApiOperation({ summary: 'Refused commands, oldest first: rule id, the version of the rules, actor, client, command and time' })
  @ApiAnswer(200, 'A page of refusals.', REFUSALS)
  @ApiProblems(...GUARDED)
  async refusalLog(@Query() query: PageQuery) {
    const limit = query.limit ?? 100;
    const after = numericCursor(query.cursor, 's', 0n);
    const rows = await this.refusals.list({ after, limit: limit + 1 });
    const items = rows.slice(0, limit).map((row) => ({ ...row, sequence: row.sequence.toString(), policy: policyVersionAt(row.recordedAt).version }));
    const nextCursor = rows.length > limit ? `s${items[items.length - 1].sequence}` : undefined;
    return pageAnswer({ items, nextCursor }, limit);
  }

  @Get('audit/digest')
  @ApiOperation({
    summary: 'Recompute every hash chain and the digest of all streams’ heads, as of a position',
    description: 'Keep the digest with its position; recompute it later with ?at=<position> (or `ledger verify --at … --expect-digest …`): equal digests prove the history up to there was not rewritten.',
  })
  @ApiAnswer(200, 'The chains checked and the digest.', DIGEST)
  @ApiProblems(...GUARDED)
  async digest(@Query() query: DigestQuery) {
    const upTo = query.at === undefined ? undefined : positionFromRequest(query.at, 'at');
    const report = await this.digestOf(upTo);
    return {
      intact: !report.brokenLink, position: report.position && encodePositionToken(report.position),
      eventsChecked: report.eventsChecked, streams: report.streams, digest: report.digest,
      brokenLink: report.brokenLink && { ...report.brokenLink, revision: report.brokenLink.revision.toString() },
    };
  }

  /**
   * Callers asking for the same position share one computation (it reads the whole log); a finished one is
   * not kept, since an auditor asks again precisely to see whether the log changed.
   */
  private digestOf(upTo: Position | undefined): Promise<VerifyReport> {
    const key = upTo ? encodePositionToken(upTo) : 'head';
    const running = this.digests.get(key);
    if (running) return running;
    if (this.digests.size >= MAX_DIGESTS_AT_ONCE) {
      throw new HttpProblem(503, 'AUDIT_BUSY', `${MAX_DIGESTS_AT_ONCE} digests of other positions are being computed; ask again shortly.`,
        {}, { 'Retry-After': '5' });
    }
    this.metrics.auditDigests.inc();
    const digest = verifyLog(this.store, { upTo }).finally(() => this.digests.delete(key));
    this.digests.set(key, digest);
    return digest;
  }

  private async history(category: StreamCategory, id: string, query: HistoryQuery) {
    const limit = query.limit ?? 100;
    const types = query.types && new Set(query.types);
    const from = query.from && Date.parse(query.from);
    const to = query.to && Date.parse(query.to);
    const events = await this.store.readStream(streamName(category, id), { fromRevision: numericCursor(query.cursor, 'r', 0n) });
    const matching: RecordedEvent[] = [];
    let next: bigint | undefined;
    for (const event of events) {
      const at = Date.parse(metadataOf(event).recordedAt);
      if ((types && !types.has(event.type)) || (from && at < from) || (to && at >= to)) continue;
      if (matching.length === limit) {
        next = event.revision;
        break;
      }
      matching.push(event);
    }
    return pageAnswer({ items: matching.map(historyItem), nextCursor: next === undefined ? undefined : `r${next}` }, limit);
  }
}
