import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import { encodePositionToken } from '@ledger/event-store';
import type { CommandResult } from './command-runner';

export class RecordedEventView {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'RelationshipAccepted' }) type!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: unknown;
}

/** The answer to an accepted command. */
export class CommandAccepted {
  @ApiProperty({ description: 'The Idempotency-Key, or the id the ledger gave the command.' }) commandId!: string;
  @ApiProperty({ example: 'customer-contoso' }) stream!: string;
  @ApiProperty({ description: 'The stream revision after the command (also the ETag).', example: '3' }) revision!: string;
  @ApiProperty({ description: 'Opaque global position token: reads can wait until they have seen it.' }) position!: string;
  @ApiProperty({ type: [RecordedEventView] }) events!: RecordedEventView[];
  @ApiProperty({ description: 'True when this answers a retry of a command applied before.' }) replayed!: boolean;
}

/** Renders a CommandResult: body, ETag (the stream revision) and Ledger-Position (the global position token). */
@Injectable()
export class CommandResultInterceptor implements NestInterceptor<CommandResult, CommandAccepted> {
  intercept(context: ExecutionContext, next: CallHandler<CommandResult>): Observable<CommandAccepted> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(map((result) => {
      const position = encodePositionToken(result.position);
      response.setHeader('ETag', `"${result.revision}"`);
      response.setHeader('Ledger-Position', position);
      if (result.replayed) response.setHeader('Idempotent-Replayed', 'true');
      return {
        commandId: result.commandId,
        stream: result.stream,
        revision: result.revision.toString(),
        position,
        events: result.events.map((event) => ({ ...event })),
        replayed: result.replayed,
      };
    }));
  }
}
