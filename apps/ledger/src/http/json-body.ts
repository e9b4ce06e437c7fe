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

/**
 * Parses JSON bodies up to `limitBytes` and answers anything else with a problem: a body that is not JSON
 * (415), too large (413), or malformed (400), before any route sees it.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const parse = json({ limit: limitBytes, strict: true, type: ['application/json', 'application/*+json'] });
  return (request: Request, response: Response, next: NextFunction) => {
    const hasBody = Number(request.header('content-length') ?? 0) > 0 || request.header('transfer-encoding') !== undefined;
    if (hasBody && !request.is(['application/json', 'application/*+json'])) {
      next(new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the command as application/json.'));
      return;
    }
    parse(request, response, (error?: unknown) => {
      const type = (error as { type?: string } | undefined)?.type;
      const known = type === undefined ? undefined : CODES[type];
      if (error && known) next(new HttpProblem(known[0], known[1], `${known[2]}.`));
      else next(error);
    });
  };
}
