import { Injectable } from '@nestjs/common';
import { type CustomerView, partnersOfCustomer } from '@ledger/domain';
import { customerViews, NotFoundError, ReadSide } from '@ledger/read-models';
import type { Principal } from '../auth/principal';

/**
 * What a reader may see. A credential bound to a customer sees that customer and the partners that have a
 * part in its affairs; one bound to a partner sees itself and the customers it has, or had, a relationship,
 * grant or subscription with. Service credentials see whatever their scopes allow. Callers answer 404 for
 * what a reader may not see, as for what does not exist.
 */
@Injectable()
export class ReadAccess {
  constructor(private readonly readSide: ReadSide) {}

  /** `current`: the customer's current view, when the caller has already read it (saves reading it twice). */
  mayReadCustomer({ boundActor: bound }: Principal, customerId: string, current?: CustomerView): boolean {
    if (!bound) return true;
    if (bound.kind === 'customer') return bound.id === customerId;
    return bound.kind === 'partner' && this.partnersOf(customerId, current).has(bound.id);
  }

  mayReadPartner({ boundActor: bound }: Principal, partnerId: string): boolean {
    if (!bound) return true;
    if (bound.kind === 'partner') return bound.id === partnerId;
    return bound.kind === 'customer' && this.partnersOf(bound.id).has(partnerId);
  }

  /** A partner's own books (its customers, its resellers' customers) are for the partner and for services. */
  mayReadPartnerBook({ boundActor: bound }: Principal, partnerId: string): boolean {
    return !bound || (bound.kind === 'partner' && bound.id === partnerId);
  }

  /**
   * Which expiring grants a reader sees: a partner-bound reader its own (naming another partner answers 404),
   * a customer-bound reader those over its tenant, a service those it asks for.
   */
  expiringGrantsFilter({ boundActor: bound }: Principal, askedPartnerId: string | undefined): { partnerId?: string; customerId?: string } {
    if (bound?.kind === 'partner') {
      if (askedPartnerId !== undefined && askedPartnerId !== bound.id) partnerNotFound(askedPartnerId);
      return { partnerId: bound.id };
    }
    return { partnerId: askedPartnerId, customerId: bound?.kind === 'customer' ? bound.id : undefined };
  }

  private partnersOf(customerId: string, current = this.readSide.query(customerViews).customer(customerId)): ReadonlySet<string> {
    return current ? partnersOfCustomer(current) : new Set();
  }
}

/** The answer for a partner the read models do not know, or that the reader may not see: the same. */
export function partnerNotFound(partnerId: string): never {
  throw new NotFoundError('PARTNER_NOT_FOUND', `The read models know no partner ${partnerId} (yet: see Ledger-Min-Position).`);
}

/** The answer for a customer the ledger does not know (at the moment asked, for `past`), or that the reader may not see. */
export function customerNotFound(customerId: string, past: boolean): never {
  throw new NotFoundError('CUSTOMER_NOT_FOUND',
    `The ledger knows no customer ${customerId} ${past ? 'at that moment' : '(yet: see Ledger-Min-Position)'}.`);
}
