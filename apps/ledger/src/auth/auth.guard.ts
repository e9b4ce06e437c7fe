import { type CanActivate, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Scope } from '../config/ledger-config';
import { HttpProblem } from '../problems/http-problem';
import { type Principal, TokenRegistry } from './token-registry';

const SCOPE_KEY = 'ledger:scope';
const PRINCIPAL = Symbol('principal');

/** The scope a route needs. Routes without one are public (health, docs). */
export const RequireScope = (scope: Scope) => SetMetadata(SCOPE_KEY, scope);

type Authenticated = Request & { [PRINCIPAL]?: Principal };

export function principalOf(request: Request): Principal {
  const principal = (request as Authenticated)[PRINCIPAL];
  if (!principal) throw new Error('principalOf called on a route without RequireScope');
  return principal;
}

/** Checks the bearer token of every route that requires a scope. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = this.reflector.getAllAndOverride<Scope | undefined>(SCOPE_KEY, [context.getHandler(), context.getClass()]);
    if (!scope) return true;
    const request = context.switchToHttp().getRequest<Authenticated>();
    const match = /^Bearer ([A-Za-z0-9._~+/=-]+)$/.exec(request.header('authorization') ?? '');
    const principal = match ? this.tokens.authenticate(match[1]) : undefined;
    if (!principal) {
      throw new HttpProblem(401, 'UNAUTHENTICATED', 'A valid bearer token is required.', {}, {
        'WWW-Authenticate': 'Bearer realm="relationship-ledger"',
      });
    }
    if (!principal.scopes.has(scope)) {
      throw new HttpProblem(403, 'INSUFFICIENT_SCOPE', `This token lacks the "${scope}" scope.`);
    }
    request[PRINCIPAL] = principal;
    return true;
  }
}
