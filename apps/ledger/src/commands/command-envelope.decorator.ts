import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor } from '@ledger/domain';
import { principalOf } from '../auth/auth.guard';
import { defaultActor, formatActor, mayActFor, parseActor } from '../auth/principal';
import { correlationIdOf } from '../http/correlation-id';
import { HttpProblem } from '../problems/http-problem';
import type { CommandEnvelope } from './command-runner';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Who acts: the party a credential is bound to; else the party its `Ledger-Actor` header names, when the
 * credential's list allows it (`system` also takes the system scope); else the calling client itself as an
 * operator, when it may act as itself. Nobody else, ever.
 */
export function resolveActor(request: Request): Actor {
  const principal = principalOf(request);
  const header = request.header('ledger-actor');
  const named = header === undefined ? undefined : parseActor(header);
  if (header !== undefined && !named) {
    throw new HttpProblem(400, 'INVALID_ACTOR', 'Ledger-Actor is partner:<id>, customer:<id>, operator:<id> or system.');
  }
  if (principal.boundActor) {
    if (named && !mayActFor(principal, named)) {
      throw new HttpProblem(403, 'ACTOR_MISMATCH', `This credential acts only as ${formatActor(principal.boundActor)}.`);
    }
    return principal.boundActor;
  }
  if (!named) {
    return defaultActor(principal) ?? notAllowed(`This credential acts only for the parties it lists: name one in Ledger-Actor.`);
  }
  if (!mayActFor(principal, named)) notAllowed(`This credential may not act for ${formatActor(named)}.`);
  if (named.kind === 'system' && !principal.scopes.has('system')) {
    throw new HttpProblem(403, 'INSUFFICIENT_SCOPE', 'Acting as the system takes the "system" scope.');
  }
  return named;
}

function notAllowed(detail: string): never {
  throw new HttpProblem(403, 'ACTOR_NOT_ALLOWED', detail);
}

function parseIfMatch(header: string | undefined): CommandEnvelope['expectedRevision'] {
  if (header === undefined) return undefined;
  if (header.trim() === '*') return 'stream-exists';
  const match = /^\s*"(\d{1,18})"\s*$/.exec(header);
  if (!match) throw new HttpProblem(400, 'INVALID_IF_MATCH', 'If-Match is "*" or one quoted revision, as an ETag gives it.');
  return BigInt(match[1]);
}

export function envelopeOf(request: Request): CommandEnvelope {
  const key = request.header('idempotency-key');
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new HttpProblem(400, 'INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key has 1 to 128 letters, digits or ._:- characters.');
  }
  const principal = principalOf(request);
  return {
    commandId: key ?? randomUUID(),
    actor: resolveActor(request),
    client: principal.client,
    credential: principal.credential,
    correlationId: correlationIdOf(request),
    expectedRevision: parseIfMatch(request.header('if-match')),
  };
}

/** The command's envelope, from the request's credential and headers (Idempotency-Key, If-Match, Ledger-Actor). */
export const Envelope = createParamDecorator((_: unknown, context: ExecutionContext) =>
  envelopeOf(context.switchToHttp().getRequest<Request>()));
