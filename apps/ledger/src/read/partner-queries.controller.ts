import { Query } from '@nestjs/common';
import { type PartnerView, refuse } from '@ledger/domain';
import { ReadSide } from '@ledger/read-models';
import { Clock } from '../clock';
import { PathId } from '../http/ledger-id.pipe';
import { QueryController, QueryEndpoint } from './query-controller.decorator';
import { pageAnswer, PageQuery, PartnerCustomersQuery } from './query.dto';

const DEFAULT_LIMIT = 100;

@QueryController('partners', 'partner queries')
export class PartnerQueriesController {
  constructor(
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
  ) {}

  @QueryEndpoint(':partnerId', 'A partner’s program and cloud, and for an indirect provider the resellers it authorized')
  profile(@PathId('partnerId') partnerId: string): PartnerView {
    return this.readSide.store.partner(partnerId)
      ?? refuse('PARTNER_NOT_FOUND', 'not-found', `The read models know no partner ${partnerId} (yet: see Ledger-Min-Position).`);
  }

  @QueryEndpoint(':partnerId/customers', 'The customers this partner may transact, provision, support or administer for, and through what')
  customers(@PathId('partnerId') partnerId: string, @Query() query: PartnerCustomersQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const now = this.clock.now().toISOString();
    return pageAnswer(this.readSide.store.partnerCustomers(partnerId, query.right ?? 'support', now, { cursor: query.cursor, limit }), limit);
  }

  @QueryEndpoint(':providerId/reseller-customers', 'For an indirect provider: its resellers and the customers each is linked to')
  resellerCustomers(@PathId('providerId') providerId: string, @Query() query: PageQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT;
    return pageAnswer(this.readSide.store.resellerCustomers(providerId, { cursor: query.cursor, limit }), limit);
  }
}
