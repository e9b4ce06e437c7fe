import { type CanActivate, createParamDecorator, type ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { LEDGER_CONFIG } from '../config/config.token';
import type { LedgerConfig, Scope } from '../config/ledger-config';
import { HttpProblem } from '../problems/http-problem';
import { InvalidAccessToken, OidcVerifier } from './oidc-verifier';
import type { Principal } from './principal';
import { TokenRegistry } from './token-registry';

const ACCESS_KEY = 'ledger:access';
const PRINCIPAL = Symbol('principal');

/** Who may call a route: anyone, or a bearer token with a scope (and, for some, anyone when configured so). */
export type RouteAccess =
  | { readonly public: true }
  | { readonly public: false; readonly scope: Scope; readonly publicWhen?: keyof Pick<LedgerConfig, 'metricsPublic'> };

/** The scope a route needs. Every route needs one, unless it is marked Public. */
export const RequireScope = (scope: Scope, options: { publicWhen?: 'metricsPublic' } = {}) =>
  SetMetadata(ACCESS_KEY, { public: false, scope, ...options } satisfies RouteAccess);

/** A route anyone may call, with no token (health probes). */
export const Public = () => SetMetadata(ACCESS_KEY, { public: true } satisfies RouteAccess);

/** The access a handler declared (on itself or its controller); undefined when it declared none. */
export function routeAccess(reflector: Reflector, handler: object, controller: object): RouteAccess | undefined {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  return reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_KEY, [handler as Function, controller as Function]);
}

type Authenticated = Request & { [PRINCIPAL]?: Principal };

/** The authenticated caller, once the guard let the request through; undefined on a public route. */
export function callerOf(request: Request): Principal | undefined {
  return (request as Authenticated)[PRINCIPAL];
}

export function principalOf(request: Request): Principal {
  const principal = callerOf(request);
  if (!principal) throw new Error('principalOf called on a route without RequireScope');
  return principal;
}

/** The authenticated caller of a route that requires a scope. */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext) => principalOf(context.switchToHttp().getRequest<Request>()));

const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]+)$/;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Closed by default: a route passes only when it is marked Public, or when the request's bearer token (a
 * static token, or an OIDC access token when an issuer is configured) holds the scope the route requires.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly oidc?: OidcVerifier;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenRegistry,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {
    this.oidc = config.oidc && new OidcVerifier(config.oidc);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = routeAccess(this.reflector, context.getHandler(), context.getClass());
    if (!access) throw new HttpProblem(403, 'ROUTE_NOT_OPEN', 'This route declares no access: it is closed.');
    if (access.public || (access.publicWhen && this.config[access.publicWhen])) return true;
    const request = context.switchToHttp().getRequest<Authenticated>();
    const principal = await this.authenticate(request.header('authorization'));
    if (!principal.scopes.has(access.scope)) {
      throw new HttpProblem(403, 'INSUFFICIENT_SCOPE', `This credential lacks the "${access.scope}" scope.`);
    }
    request[PRINCIPAL] = principal;
    return true;
  }

  private async authenticate(authorization: string | undefined): Promise<Principal> {
    const token = BEARER.exec(authorization ?? '')?.[1];
    const principal = token === undefined ? undefined : this.tokens.authenticate(token);
    if (principal) return principal;
    if (token !== undefined && this.oidc && JWT_SHAPE.test(token)) {
      try {
        return await this.oidc.authenticate(token);
      } catch (error) {
        if (!(error instanceof InvalidAccessToken)) throw error;
        unauthenticated(`The access token is not accepted: ${error.message}.`, 'invalid_token');
      }
    }
    return unauthenticated('A valid bearer token is required.', token === undefined ? undefined : 'invalid_token');
  }
}

function unauthenticated(detail: string, error?: string): never {
  const challenge = `Bearer realm="relationship-ledger"${error ? `, error="${error}"` : ''}`;
  throw new HttpProblem(401, 'UNAUTHENTICATED', detail, {}, { 'WWW-Authenticate': challenge });
}
