import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request } from 'express';
import { callerOf } from '../auth/auth.guard';
import { HttpProblem } from '../problems/http-problem';

/**
 * Fair use: each client gets LEDGER_RATE_LIMIT_PER_MINUTE requests a minute across all routes (counted per
 * replica), then 429 with Retry-After. Runs after authentication, so it counts the client a credential names,
 * not an address many clients may share. Public routes (probes, metrics) and callers with the system scope
 * are not limited: an operator must be able to act on a struggling service.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const caller = callerOf(context.switchToHttp().getRequest<Request>());
    return caller === undefined || caller.scopes.has('system');
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return callerOf(request as unknown as Request)?.client ?? 'anonymous';
  }

  /** One budget per client for the whole API, not one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new HttpProblem(429, 'RATE_LIMITED',
      `Client ${detail.tracker} made more than ${detail.limit} requests in ${detail.ttl / 1000} s; wait ${detail.timeToBlockExpire} s.`,
      {}, { 'Retry-After': String(detail.timeToBlockExpire) });
  }
}
