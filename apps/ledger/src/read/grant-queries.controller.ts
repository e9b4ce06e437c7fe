import { Injectable, Query } from '@nestjs/common';
import { addDays } from '@ledger/domain';
import { customerViews, type CustomerViewQueries, type Page, ReadSide } from '@ledger/read-models';
import { Caller } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { Clock } from '../clock';
import { EXPIRING_GDAP, EXPIRING_GRANTS } from '../http/answer-schemas';
import { QueryController, QueryEndpoint } from './query-controller.decorator';
import { ExpiringQuery, pageAnswer } from './query.dto';
import { ReadAccess } from './read-access';

const VISIBLE = 'A credential bound to a partner sees its own; one bound to a customer, those over its tenant.';

type Expiring<T> = (queries: CustomerViewQueries, now: string, until: string, options: Parameters<CustomerViewQueries['expiringGrants']>[2]) => Page<T>;

/** What ends soon, as a reader may see it: the one shape of the expiring-grants and expiring-GDAP questions. */
@Injectable()
abstract class ExpiringQueries {
  constructor(
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
    private readonly access: ReadAccess,
  ) {}

  protected expiring<T>(caller: Principal, query: ExpiringQuery, search: Expiring<T>) {
    const limit = query.limit ?? 100;
    const now = this.clock.now().toISOString();
    const visible = this.access.expiringGrantsFilter(caller, query.partnerId);
    return pageAnswer(search(this.readSide.query(customerViews), now, addDays(now, query.withinDays ?? 30), { ...visible, cursor: query.cursor, limit }), limit);
  }
}

@QueryController('delegated-admin-grants', 'delegated admin queries')
export class GrantQueriesController extends ExpiringQueries {
  @QueryEndpoint('expiring', 'Delegated admin grants in force that end within the given number of days, soonest first', VISIBLE, EXPIRING_GRANTS)
  expiringGrants(@Caller() caller: Principal, @Query() query: ExpiringQuery) {
    return this.expiring(caller, query, (q, now, until, options) => q.expiringGrants(now, until, options));
  }
}

@QueryController('gdap-relationships', 'GDAP relationships')
export class GdapQueriesController extends ExpiringQueries {
  @QueryEndpoint('expiring', 'GDAP relationships in force that end within the given number of days, soonest first; autoExtend says whether they extend or expire',
    VISIBLE, EXPIRING_GDAP)
  expiringGdap(@Caller() caller: Principal, @Query() query: ExpiringQuery) {
    return this.expiring(caller, query, (q, now, until, options) => q.expiringGdap(now, until, options));
  }
}
