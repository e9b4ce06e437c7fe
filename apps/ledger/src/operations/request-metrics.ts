import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { LedgerMetrics } from './metrics';

/** Times every request into the latency histogram, labelled by its route pattern (not its raw path). */
export function requestMetrics(metrics: LedgerMetrics): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const stop = metrics.requestDuration.startTimer();
    response.on('finish', () => {
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      stop({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
