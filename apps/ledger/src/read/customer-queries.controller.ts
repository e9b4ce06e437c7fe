import { Param, ParseEnumPipe, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { checkRight, type CustomerView, gdapAccessRoles, isGdapInForce, type Right, RIGHTS, supportRights } from '@ledger/domain';
import { EventStore } from '@ledger/event-store';
import { customerViews, ReadSide } from '@ledger/read-models';
import { Caller } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { Clock } from '../clock';
import { PathId } from '../http/ledger-id.pipe';
import { positionFromRequest } from '../http/position-param';
import { HttpProblem } from '../problems/http-problem';
import { GDAP_RELATIONSHIPS, RIGHT_CHECK, SUPPORT_RIGHTS, TRANSFERS } from '../http/answer-schemas';
import { QueryController, QueryEndpoint, setStreamETag } from './query-controller.decorator';
import { OwnershipAnswer } from './answers.dto';
import { AsOfQuery } from './query.dto';
import { customerNotFound, ReadAccess } from './read-access';
import { TimeTravel } from './time-travel';

const RightParam = () => Param('right', new ParseEnumPipe(Object.fromEntries(RIGHTS.map((r) => [r, r])), {
  exceptionFactory: () => new HttpProblem(400, 'VALIDATION_FAILED', `right is one of ${RIGHTS.join(', ')}.`),
}));

const AS_OF = 'With asOf (a time) or asOfPosition (a token), answers as of then, from the customer’s history.';

@QueryController('customers', 'customer queries')
export class CustomerQueriesController {
  private readonly timeTravel: TimeTravel;

  constructor(
    private readonly readSide: ReadSide,
    private readonly clock: Clock,
    private readonly access: ReadAccess,
    store: EventStore,
  ) {
    this.timeTravel = new TimeTravel(store, readSide);
  }

  @QueryEndpoint(':customerId/ownership', 'Who owns what: each subscription’s channel, partner of record, state and moves; each relationship’s owner and linked reseller',
    AS_OF, OwnershipAnswer)
  async ownership(@Caller() caller: Principal, @PathId('customerId') customerId: string, @Query() asOf: AsOfQuery, @Res({ passthrough: true }) response: Response): Promise<OwnershipAnswer> {
    return new OwnershipAnswer((await this.view(caller, customerId, asOf, response)).view);
  }

  @QueryEndpoint(':customerId/support-rights', 'Which partners may transact, provision, support or administer, and why',
    `Rights resting on delegated admin are judged against the ledger’s clock: a grant past its end gives nothing. ${AS_OF}`, SUPPORT_RIGHTS)
  async supportRights(@Caller() caller: Principal, @PathId('customerId') customerId: string, @Query() asOf: AsOfQuery, @Res({ passthrough: true }) response: Response) {
    const { view, evaluatedAt } = await this.view(caller, customerId, asOf, response);
    return { customerId, evaluatedAt, partners: supportRights(view, evaluatedAt) };
  }

  @QueryEndpoint(':customerId/partners/:partnerId/rights/:right', 'May this partner do this for this customer? Yes or no, with the reasons', AS_OF, RIGHT_CHECK)
  async check(
    @Caller() caller: Principal,
    @PathId('customerId') customerId: string,
    @PathId('partnerId') partnerId: string,
    @RightParam() right: Right,
    @Query() asOf: AsOfQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    const { view, evaluatedAt } = await this.view(caller, customerId, asOf, response);
    return { customerId, evaluatedAt, ...checkRight(view, partnerId, right, evaluatedAt) };
  }

  @QueryEndpoint(':customerId/gdap-relationships', 'The customer’s GDAP relationships: status, roles, security groups with their roles, end, origin, and the facts behind each',
    `inForce and accessRoles are judged against the ledger’s clock: a relationship past its end gives nothing (MC-18). ${AS_OF}`, GDAP_RELATIONSHIPS)
  async gdapRelationships(@Caller() caller: Principal, @PathId('customerId') customerId: string, @Query() asOf: AsOfQuery, @Res({ passthrough: true }) response: Response) {
    const { view, evaluatedAt } = await this.view(caller, customerId, asOf, response);
    const relationships = Object.values(view.gdapRelationships).map((g) => {
      const inForce = isGdapInForce(g, evaluatedAt);
      return { ...g, assignments: Object.values(g.assignments), inForce, accessRoles: inForce ? gdapAccessRoles(g) : [] };
    });
    return { customerId, evaluatedAt, relationships };
  }

  @QueryEndpoint(':customerId/transfers', 'The customer’s partner-led transfers: source, target, subscriptions, state and the facts behind each', AS_OF, TRANSFERS)
  async transfers(@Caller() caller: Principal, @PathId('customerId') customerId: string, @Query() asOf: AsOfQuery, @Res({ passthrough: true }) response: Response) {
    const { view, evaluatedAt } = await this.view(caller, customerId, asOf, response);
    return { customerId, evaluatedAt, transfers: Object.values(view.transfers) };
  }

  /**
   * The customer's view now (from the read models) or as of a past time or position (from its history). A
   * customer the caller may not see is answered as one that does not exist.
   */
  private async view(caller: Principal, customerId: string, asOf: AsOfQuery, response: Response): Promise<{ view: CustomerView; evaluatedAt: string }> {
    const found = await this.findView(caller, customerId, asOf);
    setStreamETag(response, found.view);
    return found;
  }

  private async findView(caller: Principal, customerId: string, asOf: AsOfQuery): Promise<{ view: CustomerView; evaluatedAt: string }> {
    const notFound = (): never => customerNotFound(customerId, Boolean(asOf.asOf || asOf.asOfPosition));
    if (asOf.asOf && asOf.asOfPosition) {
      throw new HttpProblem(400, 'VALIDATION_FAILED', 'Give asOf or asOfPosition, not both.');
    }
    const current = this.readSide.query(customerViews).customer(customerId);
    if (!this.access.mayReadCustomer(caller, customerId, current)) notFound();
    const cutoff = asOf.asOf ? { time: asOf.asOf } : asOf.asOfPosition ? { position: positionFromRequest(asOf.asOfPosition, 'asOfPosition') } : undefined;
    if (!cutoff) return { view: current ?? notFound(), evaluatedAt: this.clock.now().toISOString() };
    const past = await this.timeTravel.customerAsOf(customerId, cutoff);
    return { view: past.view ?? notFound(), evaluatedAt: past.evaluatedAt };
  }
}

