import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { LEDGER_EVENT_TYPES } from '@ledger/domain';
import { IsAbsentOr, IsInstant } from '../http/validation';
import { PageQuery } from '../read/query.dto';

export class HistoryQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only these event types (comma-separated).', example: 'RelationshipAccepted,DelegatedAdminGranted' })
  @IsAbsentOr()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray()
  @ArrayMaxSize(32)
  @IsIn(LEDGER_EVENT_TYPES, { each: true })
  types?: string[];

  @IsInstant('Only events recorded at or after this time.', { optional: true })
  from?: string;

  @IsInstant('Only events recorded before this time.', { optional: true })
  to?: string;
}

export class DigestQuery {
  @ApiPropertyOptional({ description: 'A position token: the digest of the log as of there (default: the whole log).' })
  @IsAbsentOr()
  @IsString()
  at?: string;
}

/** A tree size: a checkpoint's. */
const TreeSize = (description: string, optional: boolean) => applyDecorators(
  (optional ? ApiPropertyOptional : ApiProperty)({ description, minimum: 0 }),
  ...(optional ? [IsAbsentOr()] : []),
  Type(() => Number),
  IsInt(),
  Min(0),
  Max(Number.MAX_SAFE_INTEGER),
);

export class InclusionQuery {
  @ApiProperty({ description: 'The event’s id (as its history gives it).' })
  @IsString()
  @Length(1, 200)
  eventId!: string;

  @TreeSize('The size of a signed checkpoint to prove it against (default: the latest, signing one when the event is newer).', true)
  treeSize?: number;
}

export class StreamProofQuery {
  @ApiProperty({ description: 'The stream: `customer-<customer id>` or `partner-<partner id>`.', example: 'customer-contoso' })
  @IsString()
  @Length(1, 200)
  stream!: string;

  @TreeSize('The size of a signed checkpoint to prove it against (default: a new one, signed when the log grew).', true)
  treeSize?: number;
}

export class ConsistencyQuery {
  @TreeSize('The size of the older signed checkpoint (the one the auditor kept).', false)
  from!: number;

  @TreeSize('The size of the newer signed checkpoint (default: the latest).', true)
  to?: number;
}
