import { applyDecorators, Controller, Post, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAnswer, ApiProblems, COMMAND_PROBLEMS } from '../http/api-contract';
import { RequireScope } from '../auth/auth.guard';
import { CommandHeaders } from './command-headers.decorator';
import { CommandAccepted, CommandResultInterceptor } from './command-result.interceptor';

/** A controller of command endpoints: write scope, command headers documented, results rendered alike. */
export function CommandController(path: string, tag: string) {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    CommandHeaders(),
    RequireScope('write'),
    UseInterceptors(CommandResultInterceptor),
    Controller(path),
  );
}

/** One command's endpoint: a POST that answers 201 with the events it appended. */
export function CommandEndpoint(path: string, summary: string) {
  return applyDecorators(Post(path), ApiOperation({ summary }),
    ApiAnswer(201, 'Recorded (or, for a retry, recorded before): the events appended.', CommandAccepted, ['ETag', 'Ledger-Position', 'Idempotent-Replayed']),
    ApiProblems(...COMMAND_PROBLEMS));
}
