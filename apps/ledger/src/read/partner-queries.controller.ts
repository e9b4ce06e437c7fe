import { Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { customerViews, partnerViews, ReadSide } from '@ledger/read-models';
import { Caller } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { Clock } from '../clock';
import { PathId } from '../http/ledger-id.pipe';
import { PARTNER_CUSTOMERS, PENDING_REQUESTS, RESELLER_CUSTOMERS } from '../http/answer-schemas';
import { QueryController, QueryEndpoint, setStreamETag } from './query-controller.decorator';
import { PartnerProfileAnswer } from './answers.dto';
import { pageAnswer, PageQuery, PartnerCustomersQuery, PendingRequestsQuery } from './query.dto';
import { partnerNotFound, ReadAccess } from './read-access';

const DEFAULT_LIMIT = 100;

@QueryController('partners', 'partner queries')
export class PartnerQueriesController {
  constructor(
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
    private readonly access: ReadAccess,
  ) {}

  @QueryEndpoint(':partnerId', 'A partner’s program and cloud, and for an indirect provider the resellers it authorized', undefined, PartnerProfileAnswer)
  profile(@Caller() caller: Principal, @PathId('partnerId') partnerId: string, @Res({ passthrough: true }) response: Response): PartnerProfileAnswer {
    const view = (this.access.mayReadPartner(caller, partnerId) ? this.readSide.query(partnerViews).partner(partnerId) : undefined)
      ?? partnerNotFound(partnerId);
    setStreamETag(response, view);
    return new PartnerProfileAnswer(view);
  }

  @QueryEndpoint(':partnerId/customers', 'The customers this partner may transact, provision, support or administer for, and through what', undefined, PARTNER_CUSTOMERS)
  customers(@Caller() caller: Principal, @PathId('partnerId') partnerId: string, @Query() query: PartnerCustomersQuery) {
    if (!this.access.mayReadPartnerBook(caller, partnerId)) partnerNotFound(partnerId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    const now = this.clock.now().toISOString();
    return pageAnswer(this.readSide.query(customerViews).partnerCustomers(partnerId, query.right ?? 'support', now, { cursor: query.cursor, limit }), limit);
  }

  @QueryEndpoint(':partnerId/pending-requests', 'The partner’s GDAP requests and transfers waiting for an answer: those it sent, and transfers it must answer',
    'Soonest to expire first. A credential bound to a partner sees its own only.', PENDING_REQUESTS)
  pendingRequests(@Caller() caller: Principal, @PathId('partnerId') partnerId: string, @Query() query: PendingRequestsQuery) {
    if (!this.access.mayReadPartnerBook(caller, partnerId)) partnerNotFound(partnerId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    return pageAnswer(this.readSide.query(customerViews).pendingRequests(partnerId, { direction: query.direction, cursor: query.cursor, limit }), limit);
  }

  @QueryEndpoint(':providerId/reseller-customers', 'For an indirect provider: its resellers and the customers each is linked to', undefined, RESELLER_CUSTOMERS)
  resellerCustomers(@Caller() caller: Principal, @PathId('providerId') providerId: string, @Query() query: PageQuery) {
    if (!this.access.mayReadPartnerBook(caller, providerId)) partnerNotFound(providerId);
    const limit = query.limit ?? DEFAULT_LIMIT;
    return pageAnswer(this.readSide.query(customerViews).resellerCustomers(providerId, { cursor: query.cursor, limit }), limit);
  }
}
