import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { correlationIdOf } from '../http/correlation-id';
import type { LedgerMetrics } from './metrics';

/** Probes and scrapes come every few seconds and say nothing worth a line; they are still timed. */
const UNLOGGED = /^\/(health|metrics)/;

/**
 * Records every request once it is answered: its time in the latency histogram (labelled by its route pattern,
 * not its raw path), and, for all but probes and scrapes, one JSON line — method, path, status, time taken and
 * correlation id; warn for 4xx, error for 5xx. No header is logged (so no credential), and a request whose
 * caller went away before the answer is logged as aborted. One listener and one line per request, no child
 * logger: pino-http's two child loggers and header serializing took 15–18% of the command path's CPU
 * (docs/benchmarks.md).
 */
export function requestLog(logger: Logger, metrics: Pick<LedgerMetrics, 'requestDuration'>): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = performance.now();
    response.once('close', () => {
      const ms = performance.now() - started;
      const finished = response.writableFinished;
      const status = response.statusCode;
      if (finished) {
        const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
        metrics.requestDuration.observe({ method: request.method, route, status: String(status) }, ms / 1000);
      }
      if (UNLOGGED.test(request.originalUrl)) return;
      const req = { id: correlationIdOf(request), method: request.method, url: request.originalUrl };
      const line = { req, responseTime: Math.round(ms), correlationId: req.id };
      if (!finished) logger.warn(line, 'request aborted');
      else logger[status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info']({ ...line, res: { statusCode: status } }, 'request completed');
    });
    next();
  };
}
