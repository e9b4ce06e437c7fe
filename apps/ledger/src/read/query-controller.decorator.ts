import { applyDecorators, Controller, Get, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequireScope } from '../auth/auth.guard';
import { ConsistencyInterceptor, MIN_POSITION_HEADER } from './consistency.interceptor';

/** A controller of queries: read scope, answers from the read models, at least as fresh as asked. */
export function QueryController(path: string, tag: string) {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiHeader({
      name: MIN_POSITION_HEADER, required: false,
      description: 'A position token from a command’s answer: the read waits until the read models have seen it (503 after LEDGER_READ_WAIT_MS).',
    }),
    ApiResponse({ status: 503, description: 'The read models have not reached the asked position in time (NOT_YET_CONSISTENT).' }),
    RequireScope('read'),
    UseInterceptors(ConsistencyInterceptor),
    Controller(path),
  );
}

/** A query: `answer` is the class of its answer, when it has one (for the API description). */
export function QueryEndpoint(path: string, summary: string, description?: string, answer?: new (...args: never[]) => object) {
  return applyDecorators(Get(path), ApiOperation({ summary, description }),
    ApiOkResponse({ description: 'Answered; Ledger-Position names the position it was evaluated at.', type: answer }));
}
