import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { LEDGER_EVENT_TYPES, type Right, RIGHTS } from '@ledger/domain';
import type { Page } from '@ledger/read-models';
import { IsAbsentOr, IsInstant, IsLedgerId } from '../http/validation';

export const MAX_PAGE = 1000;

export class PageQuery {
  @ApiPropertyOptional({ description: 'Where to continue: the nextCursor of the previous page.' })
  @IsAbsentOr()
  @IsString()
  @Length(1, 2000)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 100 })
  @IsAbsentOr()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  limit?: number;
}

export class PartnerCustomersQuery extends PageQuery {
  @ApiPropertyOptional({ enum: RIGHTS, default: 'support', description: 'The right the partner holds for the customers listed.' })
  @IsAbsentOr()
  @IsIn(RIGHTS)
  right?: Right;
}

/** Grants or GDAP relationships in force that end soon. */
export class ExpiringQuery extends PageQuery {
  @ApiPropertyOptional({ minimum: 0, maximum: 3650, default: 30, description: 'Those in force that end within this many days.' })
  @IsAbsentOr()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  withinDays?: number;

  @IsLedgerId('Only this partner’s.', { optional: true })
  partnerId?: string;
}

export class PendingRequestsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['outgoing', 'incoming'], description: 'outgoing: asked by the partner; incoming: waiting for its answer. Both by default.' })
  @IsAbsentOr()
  @IsIn(['outgoing', 'incoming'])
  direction?: 'outgoing' | 'incoming';
}

/** A page of a list, never silently cut: `complete` is false and `nextCursor` set when more follow. */
export interface PageAnswer<T> {
  readonly items: T[];
  readonly page: { readonly limit: number; readonly complete: boolean; readonly nextCursor?: string };
}

export function pageAnswer<T>(page: Page<T>, limit: number): PageAnswer<T> {
  return { items: page.items, page: { limit, complete: page.nextCursor === undefined, nextCursor: page.nextCursor } };
}

export class AsOfQuery {
  @IsInstant('Answer as of this past moment (replaying the customer’s history up to it).', { optional: true })
  asOf?: string;

  @ApiPropertyOptional({ description: 'Answer as of this position token (replaying the customer’s history up to it).' })
  @IsAbsentOr()
  @IsString()
  @Length(1, 200)
  asOfPosition?: string;
}

/** What a change feed follows: every filter given must hold. */
export class ChangeFeedQuery {
  @ApiPropertyOptional({ description: 'Start after this position token (a Last-Event-ID header wins over it); the beginning of the log when absent.' })
  @IsAbsentOr()
  @IsString()
  @Length(1, 100)
  after?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'true', description: 'false: end the feed at the log’s head as it was when asked, rather than wait for new events.' })
  @IsAbsentOr()
  @IsIn(['true', 'false'])
  follow?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['customer', 'partner'], description: 'Only customers’ or only partners’ events.' })
  @IsAbsentOr()
  @IsIn(['customer', 'partner'])
  category?: 'customer' | 'partner';

  @IsLedgerId('Only this customer’s events.', { optional: true })
  customerId?: string;

  @IsLedgerId('Only this partner’s events.', { optional: true })
  partnerId?: string;

  @ApiPropertyOptional({ description: `Only events of these types, separated by commas (${LEDGER_EVENT_TYPES.length} types: see the events in the rulebook).`, example: 'RelationshipAccepted,DelegatedAdminGranted' })
  @IsAbsentOr()
  @Matches(new RegExp(`^(${LEDGER_EVENT_TYPES.join('|')})(,(${LEDGER_EVENT_TYPES.join('|')}))*$`), { message: 'type is a comma-separated list of event types' })
  type?: string;
}
