import { createLedgerClient, type ProblemDetails } from '@ledger/client';

/** An answer that is not a 2xx, with what the page tells the person about it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<ProblemDetails>,
  ) {
    super(explain(status, problem));
  }
}

function explain(status: number, problem: Partial<ProblemDetails>): string {
  if (status === 401) return 'The ledger did not accept this token.';
  if (status === 403) return 'This credential may not see this.';
  if (status === 404) return problem.detail ?? 'Not found, or not visible to this credential.';
  return `${status} ${problem.code ?? ''}: ${problem.detail ?? problem.title ?? 'the ledger could not answer'}`.trim();
}

interface Answer<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/** The answer's data, or an ApiError. */
export async function answered<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  throw new ApiError(response.status, (error ?? {}) as Partial<ProblemDetails>);
}

interface PageAnswer<T> {
  readonly items: T[];
  readonly page: { readonly nextCursor?: string; readonly complete: boolean };
}

/** Every item of a paged query, page after page, at most `maxPages` of them (the result says whether it stopped short). */
export async function allPages<T>(page: (cursor?: string) => Promise<Answer<PageAnswer<T>>>, maxPages = 20): Promise<{ items: T[]; complete: boolean }> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < maxPages; n += 1) {
    const answer = await answered(page(cursor));
    items.push(...answer.items);
    cursor = answer.page.nextCursor;
    if (!cursor) return { items, complete: true };
  }
  return { items, complete: false };
}

/** The typed client of the ledger serving this page, with the token entered. */
export function ledgerClient(token: string) {
  return createLedgerClient({ baseUrl: location.origin, token });
}

export type LedgerClient = ReturnType<typeof ledgerClient>;
