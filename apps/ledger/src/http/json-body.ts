import { json, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { HttpProblem } from '../problems/http-problem';

const CODES: Readonly<Record<string, [number, string, string]>> = {
  'entity.too.large': [413, 'BODY_TOO_LARGE', 'The request body is larger than this ledger accepts'],
  'entity.parse.failed': [400, 'MALFORMED_JSON', 'The request body is not valid JSON'],
  'encoding.unsupported': [415, 'UNSUPPORTED_ENCODING', 'The request body’s content encoding is not supported'],
  'charset.unsupported': [415, 'UNSUPPORTED_CHARSET', 'The request body’s charset is not supported'],
  'request.aborted': [400, 'REQUEST_ABORTED', 'The request was aborted before its body arrived'],
  'request.size.invalid': [400, 'BODY_SIZE_INVALID', 'The request body does not match its Content-Length'],
};

/** Deeper than any command's body: a bound before validation walks it (a 3,000-deep body overflowed its stack). */
const MAX_DEPTH = 32;
/** Keys that name an object's prototype machinery rather than data: never a command's field. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first reason a parsed body is not plain data, or undefined. Never walks deeper than MAX_DEPTH. */
function shapeProblem(value: unknown, depth = 0): HttpProblem | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return new HttpProblem(400, 'BODY_TOO_DEEP', `The request body nests deeper than ${MAX_DEPTH} levels.`);
  for (const key of Object.keys(value)) {
    if (PROTOTYPE_KEYS.has(key)) return new HttpProblem(400, 'FORBIDDEN_KEY', `The request body may not hold the key "${key}".`);
    const problem = shapeProblem((value as Record<string, unknown>)[key], depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Parses JSON bodies up to `limitBytes` and answers anything else with a problem: a body that is not JSON
 * (415), too large (413), malformed or badly encoded (400), nested too deep or holding prototype keys (400),
 * before any route sees it.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (request: Request, response: Response, next: NextFunction) => {
    const hasBody = Number(request.header('content-length') ?? 0) > 0 || request.header('transfer-encoding') !== undefined;
    if (!hasBody) {
      next(); // nothing to parse: every query, most probes
      return;
    }
    if (!request.is(['application/json', 'application/*+json'])) {
      next(new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the command as application/json.'));
      return;
    }
    parse(request, response, (error?: unknown) => {
      if (!error) {
        next(shapeProblem(request.body));
        return;
      }
      const type = (error as { type?: string } | undefined)?.type;
      const known = type === undefined ? undefined : CODES[type];
      if (known) next(new HttpProblem(known[0], known[1], `${known[2]}.`));
      else if (isDecompressionError(error)) next(new HttpProblem(400, 'MALFORMED_ENCODING', 'The request body does not decode as its Content-Encoding says.'));
      else next(error);
    });
  };
}

/** zlib's errors for data that is not what its Content-Encoding says (Z_DATA_ERROR, Z_BUF_ERROR, brotli's …). */
function isDecompressionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(Z_|ERR_BROTLI|ERR__ERROR_FORMAT)/.test(code);
}
