import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ModulesContainer, Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { CommandRefused, RULES, type RefusalCategory, type RuleId } from '@ledger/domain';
import { EventStoreUnavailableError } from '@ledger/event-store';
import { InvalidCursorError, NotFoundError, type QueryError, ReadModelsUnavailableError } from '@ledger/read-models';
import { CommandNotApplied, ConcurrencyConflictError, IdempotencyKeyReusedError, RevisionMismatchError } from '../commands/command-errors';
import { routesOf } from '../auth/route-table';
import { RouteMethods } from '../http/method-not-allowed';
import { HttpProblem } from './http-problem';
import { correlationIdOf } from '../http/correlation-id';
import { RepeatedLog } from '../operations/repeated-log';
import { RETRY_AFTER_SECONDS } from '../operations/store-health';

/** The status of a domain refusal, by its category. */
const STATUS_BY_CATEGORY: Readonly<Record<RefusalCategory, number>> = {
  rule: 422,
  invalid: 422,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
};

/** The status of the application's and the read side's own errors (each carries its code). */
const STATUS_BY_ERROR: ReadonlyArray<readonly [abstract new (...args: never[]) => CommandNotApplied | QueryError, number]> = [
  [RevisionMismatchError, 412],
  [ConcurrencyConflictError, 409],
  [IdempotencyKeyReusedError, 422],
  [NotFoundError, 404],
  [InvalidCursorError, 400],
];

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 412: 'Precondition Failed', 413: 'Content Too Large', 415: 'Unsupported Media Type',
  422: 'Unprocessable Content', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/**
 * Turns every error into one RFC 9457 problem+json answer with a stable `code` and the correlation id.
 * Server-side failures are logged once per kind per interval (a full disk fails every request alike).
 */
interface Problem {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

const titled = (status: number, code: string, detail: string, extensions = {}, headers = {}): Problem =>
  ({ status, code, title: TITLES[status] ?? 'Error', detail, extensions, headers });

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');
  private readonly repeated = new RepeatedLog();
  private routeMethods?: RouteMethods;

  constructor(
    private readonly modules: ModulesContainer,
    private readonly reflector: Reflector,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const problem = this.methodNotAllowed(request, error) ?? this.toProblem(error);
    if (problem.status >= 500) this.logFailure(request, problem.code, error);
    const body = {
      type: `urn:relationship-ledger:problem:${problem.code}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      instance: request.originalUrl,
      code: problem.code,
      correlationId: correlationIdOf(request),
      ...problem.extensions,
    };
    if (response.headersSent) return;
    for (const [name, value] of Object.entries(problem.headers)) response.setHeader(name, value);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private logFailure(request: Request, code: string, error: unknown): void {
    const what = `${request.method} ${request.originalUrl} (correlation id ${correlationIdOf(request)}) failed`;
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (error instanceof HttpProblem) {
      // An answer the ledger chose (a read that waited past its deadline, too many waiting): not a failure.
      this.repeated.log(`${code} ${message}`, `${what}: ${error.message}`, (line) => this.logger.log(line));
    } else if (error instanceof EventStoreUnavailableError || error instanceof ReadModelsUnavailableError || code === 'NOT_READY') {
      this.repeated.log(`${code} ${message}`, `${what}: ${message}`, (line) => this.logger.warn(line));
    } else {
      this.repeated.log(`${code} ${message}`, `${what}: ${error instanceof Error ? error.stack : message}`, (line) => this.logger.error(line));
    }
  }

  /** For a request no route took (the router's 404) whose path a route serves with other methods: 405 with Allow. */
  private methodNotAllowed(request: Request, error: unknown): Problem | undefined {
    if (!(error instanceof HttpException) || error.getStatus() !== 404 || request.method === 'OPTIONS') return undefined;
    this.routeMethods ??= new RouteMethods(routesOf(this.modules, this.reflector));
    const allow = this.routeMethods.of(request.path);
    if (allow.length === 0) return undefined;
    return titled(405, 'METHOD_NOT_ALLOWED', `${request.path} answers ${allow.join(', ')}, not ${request.method}.`, { allow }, { Allow: allow.join(', ') });
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof CommandRefused) {
      const status = STATUS_BY_CATEGORY[error.category];
      const rule = error.category === 'rule' && error.code in RULES ? (error.code as RuleId) : undefined;
      const problem = titled(status, error.code, error.message, { ...(rule && { rule }), ...(error.policy && { policy: error.policy }) });
      return rule ? { ...problem, title: RULES[rule] ?? problem.title } : problem;
    }
    if (error instanceof HttpProblem) {
      return titled(error.status, error.code, error.message, { ...error.extensions }, { ...error.headers });
    }
    const known = STATUS_BY_ERROR.find(([type]) => error instanceof type);
    if (known) return titled(known[1], (error as CommandNotApplied | QueryError).code, (error as Error).message);
    if (error instanceof ReadModelsUnavailableError) {
      return titled(503, error.code, error.message, {}, { 'Retry-After': '5' });
    }
    if (error instanceof EventStoreUnavailableError) {
      return titled(503, 'STORE_UNAVAILABLE', `The event store cannot serve now (${error.reason}); nothing was recorded unless a ` +
        'position was returned, and retrying with the same Idempotency-Key is safe.', { reason: error.reason },
        { 'Retry-After': String(RETRY_AFTER_SECONDS[error.reason]) });
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const body = error.getResponse();
      if (status === 503 && typeof body === 'object' && body !== null && 'details' in body) {
        return titled(503, 'NOT_READY', 'The service is not ready: see checks.', { checks: (body as { details: unknown }).details },
          { 'Retry-After': '5' });
      }
      const code = status === 404 ? 'ROUTE_NOT_FOUND' : status === 400 ? 'BAD_REQUEST' : `HTTP_${status}`;
      return titled(status, code, status === 404 ? 'No such route.' : error.message);
    }
    return titled(500, 'INTERNAL_ERROR', 'The ledger failed to process the request; nothing was recorded unless a position was returned.');
  }
}
