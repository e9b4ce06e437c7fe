import { Param, ParseEnumPipe } from '@nestjs/common';
import { checkRight, type CustomerView, refuse, type Right, RIGHTS, supportRights } from '@ledger/domain';
import { ReadSide } from '@ledger/read-models';
import { Clock } from '../clock';
import { PathId } from '../http/ledger-id.pipe';
import { HttpProblem } from '../problems/http-problem';
import { QueryController, QueryEndpoint } from './query-controller.decorator';

const RightParam = () => Param('right', new ParseEnumPipe(Object.fromEntries(RIGHTS.map((r) => [r, r])), {
  exceptionFactory: () => new HttpProblem(400, 'VALIDATION_FAILED', `right is one of ${RIGHTS.join(', ')}.`),
}));

@QueryController('customers', 'customer queries')
export class CustomerQueriesController {
  constructor(
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
  ) {}

  @QueryEndpoint(':customerId/ownership', 'Who owns what: each subscription’s channel, partner of record, state and moves; each relationship’s owner and linked reseller')
  ownership(@PathId('customerId') customerId: string): CustomerView {
    return this.view(customerId);
  }

  @QueryEndpoint(':customerId/support-rights', 'Which partners may transact, provision, support or administer, and why',
    'Rights resting on delegated admin are judged against the ledger’s clock now: a grant past its end gives nothing.')
  supportRights(@PathId('customerId') customerId: string) {
    const now = this.clock.now().toISOString();
    return { customerId, evaluatedAt: now, partners: supportRights(this.view(customerId), now) };
  }

  @QueryEndpoint(':customerId/partners/:partnerId/rights/:right', 'May this partner do this for this customer? Yes or no, with the reasons')
  check(@PathId('customerId') customerId: string, @PathId('partnerId') partnerId: string, @RightParam() right: Right) {
    const now = this.clock.now().toISOString();
    return { customerId, evaluatedAt: now, ...checkRight(this.view(customerId), partnerId, right, now) };
  }

  private view(customerId: string): CustomerView {
    return this.readSide.store.customer(customerId)
      ?? refuse('CUSTOMER_NOT_FOUND', 'not-found', `The read models know no customer ${customerId} (yet: see Ledger-Min-Position).`);
  }
}
