import type { NextFunction, Request, Response } from 'express';
import { match } from 'path-to-regexp';
import type { Route } from '../auth/route-table';
import { HttpProblem } from '../problems/http-problem';

/**
 * Answers 405 with `Allow` for a path the ledger serves but not with the method asked (`GET /customers`,
 * `DELETE /customers/c1`), where the router alone would say 404 and suggest the path is wrong. Paths no
 * route serves still fall through to the 404. OPTIONS and HEAD are left to the router.
 */
export function methodNotAllowed(routes: readonly Route[]): (request: Request, response: Response, next: NextFunction) => void {
  const byPath = new Map<string, Set<string>>();
  for (const route of routes) byPath.set(route.path, (byPath.get(route.path) ?? new Set()).add(route.method));
  const matchers = [...byPath].map(([path, methods]) => ({ matches: match(path, { decode: false }), methods }));
  return (request, _response, next) => {
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    if (method === 'OPTIONS') return next();
    const served = matchers.filter(({ matches }) => matches(request.path) !== false);
    if (served.length === 0 || served.some(({ methods }) => methods.has(method))) return next();
    const allow = [...new Set(served.flatMap(({ methods }) => [...methods]))].sort();
    next(new HttpProblem(405, 'METHOD_NOT_ALLOWED', `${request.path} answers ${allow.join(', ')}, not ${request.method}.`,
      { allow }, { Allow: allow.join(', ') }));
  };
}
