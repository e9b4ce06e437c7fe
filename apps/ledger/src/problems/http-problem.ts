/** An RFC 9457 problem that the global filter renders as application/problem+json. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    /** Extension members, e.g. the list of validation errors. */
    readonly extensions: Readonly<Record<string, unknown>> = {},
    /** Response headers the problem needs, e.g. WWW-Authenticate. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
  }
}
