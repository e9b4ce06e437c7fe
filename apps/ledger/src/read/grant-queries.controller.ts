import { Query } from '@nestjs/common';
import { addDays } from '@ledger/domain';
import { ReadSide } from '@ledger/read-models';
import { Clock } from '../clock';
import { QueryController, QueryEndpoint } from './query-controller.decorator';
import { ExpiringGrantsQuery, pageAnswer } from './query.dto';

@QueryController('delegated-admin-grants', 'delegated admin queries')
export class GrantQueriesController {
  constructor(
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
  ) {}

  @QueryEndpoint('expiring', 'Delegated admin grants in force that end within the given number of days, soonest first')
  expiring(@Query() query: ExpiringGrantsQuery) {
    const limit = query.limit ?? 100;
    const now = this.clock.now().toISOString();
    const until = addDays(now, query.withinDays ?? 30);
    return pageAnswer(this.readSide.store.expiringGrants(now, until, { partnerId: query.partnerId, cursor: query.cursor, limit }), limit);
  }
}
