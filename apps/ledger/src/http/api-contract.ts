import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { HeadersObject, OperationObject, ResponseObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/** Every error the ledger answers, as RFC 9457 describes it, with the ledger's stable `code`. */
export class ProblemDetails {
  @ApiProperty({ description: 'urn:relationship-ledger:problem:<code>', example: 'urn:relationship-ledger:problem:MC-09' }) type!: string;
  @ApiProperty({ example: 'A license subscription may change partner only at the end of its term' }) title!: string;
  @ApiProperty({ example: 422 }) status!: number;
  @ApiProperty({ description: 'What went wrong, for a person.' }) detail!: string;
  @ApiProperty({ description: 'The request’s path.', example: '/customers/contoso/subscriptions/m365/switch' }) instance!: string;
  @ApiProperty({ description: 'Stable: a rule id (MC-01 …) or an error code (VALIDATION_FAILED, REVISION_MISMATCH, …).', example: 'MC-09' }) code!: string;
  @ApiProperty({ description: 'The request’s correlation id, as in X-Correlation-Id.' }) correlationId!: string;
  @ApiPropertyOptional({ description: 'For a rule’s refusal: the rule id.' }) rule?: string;
  @ApiPropertyOptional({ description: 'For a rule’s refusal: the version of the rules it was decided under.' }) policy?: string;
  @ApiPropertyOptional({ description: 'For VALIDATION_FAILED: each field and what is wrong with it.', type: 'array', items: { type: 'object' } }) errors?: object[];
}

const header = (description: string, schema: SchemaObject = { type: 'string' }) => ({ description, schema });

/** Headers the ledger may send, by name, as the document describes them. */
export const HEADERS = {
  'X-Correlation-Id': header('The request’s correlation id: the caller’s, the trace id of its traceparent, or a new one.'),
  'Ledger-Position': header('The position token of the log the answer reflects (a command’s last event; the read models’ position for a query).'),
  ETag: header('The stream revision, quoted: send it back as If-Match.'),
  'Idempotent-Replayed': header('true when this answers a retried command (same Idempotency-Key) as the first time.'),
  'Retry-After': header('Seconds to wait before retrying.', { type: 'integer' }),
  'WWW-Authenticate': header('The bearer challenge.'),
  Allow: header('The methods this path answers.'),
  Location: header('Where to follow the outcome.'),
} as const satisfies HeadersObject;

export type LedgerHeader = keyof typeof HEADERS;

/** What each status means, and the headers it carries besides X-Correlation-Id. */
const PROBLEMS: Readonly<Record<number, { readonly description: string; readonly headers?: readonly LedgerHeader[] }>> = {
  400: { description: 'The request is malformed: validation, JSON, a header or a position token (VALIDATION_FAILED, MALFORMED_JSON, …).' },
  401: { description: 'No valid bearer token (UNAUTHENTICATED).', headers: ['WWW-Authenticate'] },
  403: { description: 'The credential lacks the scope, or may not act for that party (INSUFFICIENT_SCOPE, ACTOR_NOT_ALLOWED, …).' },
  404: { description: 'No such customer, partner or resource, or none the caller may see.' },
  405: { description: 'The path does not answer this method (METHOD_NOT_ALLOWED).', headers: ['Allow'] },
  409: { description: 'Already exists, or the stream kept changing (CONCURRENCY_CONFLICT).' },
  412: { description: 'If-Match did not match the stream’s revision (REVISION_MISMATCH).' },
  413: { description: 'The body is larger than LEDGER_BODY_LIMIT_BYTES (BODY_TOO_LARGE).' },
  415: { description: 'The body is not application/json, or its encoding or charset is not supported.' },
  422: { description: 'A rule refused the command (code: the rule id, MC-01 …), or an Idempotency-Key was reused for another command.' },
  429: { description: 'Too many requests from this client (RATE_LIMITED).', headers: ['Retry-After'] },
  503: { description: 'The store or the read models cannot serve now, or too many wait (STORE_UNAVAILABLE, NOT_YET_CONSISTENT, …).', headers: ['Retry-After'] },
};

/** The problems every operation behind a bearer token can answer. */
export const GUARDED = [400, 401, 403, 429, 503] as const;
/** And those of every command besides. */
export const COMMAND_PROBLEMS = [...GUARDED, 404, 409, 412, 413, 415, 422] as const;

function headersOf(names: readonly LedgerHeader[]): HeadersObject {
  return Object.fromEntries(['X-Correlation-Id' as const, ...names].map((name) => [name, HEADERS[name]]));
}

/** Documents these statuses as problem+json answers, each with its headers. */
export function ApiProblems(...statuses: readonly number[]) {
  return ApiProblemsWith([], ...statuses);
}

/** Documents these statuses as problem+json answers, each with its headers and `headers` besides. */
export function ApiProblemsWith(headers: readonly LedgerHeader[], ...statuses: readonly number[]) {
  return applyDecorators(
    ApiExtraModels(ProblemDetails),
    ...[...new Set(statuses)].map((status) => ApiResponse({
      status,
      description: PROBLEMS[status]?.description ?? 'A problem.',
      headers: headersOf([...(PROBLEMS[status]?.headers ?? []), ...headers]),
      content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDetails) } } },
    })),
  );
}

/** Documents a success: its status, its body (a class or a schema) and the headers it carries. */
export function ApiAnswer(status: number, description: string, body: Type | SchemaObject | undefined, headers: readonly LedgerHeader[] = [],
  mediaType = 'application/json') {
  const schema = body === undefined ? undefined : typeof body === 'function' ? { $ref: getSchemaPath(body) } : body;
  return applyDecorators(
    ...(typeof body === 'function' ? [ApiExtraModels(body)] : []),
    ApiResponse({ status, description, headers: headersOf(headers), ...(schema && { content: { [mediaType]: { schema } } }) }),
  );
}

/**
 * Moves the problem answers, alike in every operation, into `components.responses` (Problem400, and
 * Problem404WithPosition where a query names its position): the document says each once, and a generated
 * client types each once.
 */
export function sharedProblems(document: OpenAPIObject): OpenAPIObject {
  const shared: Record<string, ResponseObject> = {};
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Array<OperationObject | undefined>) {
      if (!operation?.responses) continue;
      for (const [status, answer] of Object.entries(operation.responses)) {
        const response = answer as ResponseObject;
        if (!response.content?.['application/problem+json']) continue;
        const name = `Problem${status}${response.headers?.['Ledger-Position'] ? 'WithPosition' : ''}`;
        shared[name] ??= response;
        operation.responses[status] = { $ref: `#/components/responses/${name}` };
      }
    }
  }
  document.components = { ...document.components, responses: { ...document.components?.responses, ...shared } };
  return document;
}
