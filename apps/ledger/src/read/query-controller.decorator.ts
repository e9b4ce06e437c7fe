import { applyDecorators, Controller, Get, type Type, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiAnswer, ApiProblems, ApiProblemsWith, GUARDED } from '../http/api-contract';
import { RequireScope } from '../auth/auth.guard';
import { ConsistencyGuard, MIN_POSITION_HEADER } from './consistency.guard';

/** A controller of queries: read scope, answers from the read models, at least as fresh as asked. */
export function QueryController(path: string, tag: string) {
  return applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiHeader({
      name: MIN_POSITION_HEADER, required: false,
      description: 'A position token from a command’s answer: the read waits until the read models have seen it (503 after LEDGER_READ_WAIT_MS).',
    }),
    RequireScope('read'),
    UseGuards(ConsistencyGuard),
    Controller(path),
  );
}

/**
 * Names, as the answer's ETag, the revision of the customer's or partner's stream a view reflects: the
 * If-Match a command about it sends to be applied only if nothing changed since this answer.
 */
export function setStreamETag(response: Response, view: { readonly eventsApplied: number }): void {
  response.setHeader('ETag', `"${view.eventsApplied - 1}"`);
}

/** A query: `answer` is the class or the schema of its answer. */
export function QueryEndpoint(path: string, summary: string, description: string | undefined, answer: Type | SchemaObject) {
  return applyDecorators(Get(path), ApiOperation({ summary, description }),
    ApiAnswer(200, 'Answered; Ledger-Position names the position it was evaluated at; an answer about one customer or partner has its '
      + 'stream’s revision as ETag.', answer, ['Ledger-Position', 'ETag']),
    // A query that fails after the read models were consulted still names their position.
    ApiProblemsWith(['Ledger-Position'], 400, 404), ApiProblems(...GUARDED));
}
