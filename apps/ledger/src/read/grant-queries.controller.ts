import { Query } from '@nestjs/common';
import { addDays } from '@ledger/domain';
import { customerViews, ReadSide } from '@ledger/read-models';
import { Caller } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { Clock } from '../clock';
import { QueryController, QueryEndpoint } from './query-controller.decorator';
import { ExpiringGrantsQuery, pageAnswer } from './query.dto';
import { ReadAccess } from './read-access';

@QueryController('delegated-admin-grants', 'delegated admin queries')
export class GrantQueriesController {
  constructor(
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
    private readonly access: ReadAccess,
  ) {}

  @QueryEndpoint('expiring', 'Delegated admin grants in force that end within the given number of days, soonest first',
    'A credential bound to a partner sees its own grants; one bound to a customer, the grants over its tenant.')
  expiring(@Caller() caller: Principal, @Query() query: ExpiringGrantsQuery) {
    const limit = query.limit ?? 100;
    const now = this.clock.now().toISOString();
    const until = addDays(now, query.withinDays ?? 30);
    const visible = this.access.expiringGrantsFilter(caller, query.partnerId);
    return pageAnswer(this.readSide.query(customerViews).expiringGrants(now, until, { ...visible, cursor: query.cursor, limit }), limit);
  }
}
