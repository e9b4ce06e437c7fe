import { match } from 'path-to-regexp';
import type { Route } from '../auth/route-table';

/**
 * The methods each route path answers, for a request no route took: a path the ledger serves asked with
 * another method (`GET /customers`, `DELETE /customers/c1`) is answered 405 with `Allow`, where the router
 * alone would say 404 and suggest the path is wrong. Consulted only on the router's 404, never on the way in.
 */
export class RouteMethods {
  private readonly matchers: ReadonlyArray<{ readonly matches: (path: string) => unknown; readonly methods: ReadonlySet<string> }>;

  constructor(routes: readonly Route[]) {
    const byPath = new Map<string, Set<string>>();
    for (const route of routes) byPath.set(route.path, (byPath.get(route.path) ?? new Set()).add(route.method));
    this.matchers = [...byPath].map(([path, methods]) => ({ matches: match(path, { decode: false }), methods }));
  }

  /** The methods `path` answers, sorted; none for a path no route serves. */
  of(path: string): string[] {
    const methods = this.matchers.filter(({ matches }) => matches(path) !== false).flatMap(({ methods }) => [...methods]);
    return [...new Set(methods)].sort();
  }
}
