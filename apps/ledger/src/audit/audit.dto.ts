import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsString } from 'class-validator';
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
