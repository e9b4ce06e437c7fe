import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { traceIdOf } from '../operations/tracing';

const CORRELATION_HEADER = 'x-correlation-id';
const ACCEPTABLE = /^[A-Za-z0-9._:-]{1,128}$/;
const KEY = Symbol('correlationId');

type WithCorrelation = Request & { [KEY]?: string };

/**
 * Takes the caller's X-Correlation-Id (when well formed), else the trace id of its W3C `traceparent`, else
 * makes one; and echoes it on the response.
 */
export function correlationIdMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.header(CORRELATION_HEADER);
  const id = given && ACCEPTABLE.test(given) ? given : traceIdOf(request.header('traceparent')) ?? randomUUID();
  (request as WithCorrelation)[KEY] = id;
  response.setHeader('X-Correlation-Id', id);
  next();
}

export function correlationIdOf(request: Request): string {
  return (request as WithCorrelation)[KEY] ?? randomUUID();
}
