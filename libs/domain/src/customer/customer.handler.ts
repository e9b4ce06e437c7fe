import { refuse } from '../shared/ledger-error';
import type { PartnerDirectory } from '../shared/parties';
import type { PolicyInForce } from '../shared/policy';
import type { CustomerEvent } from './customer.events';
import type { CustomerState, RegisteredCustomer } from './customer.state';

export interface CustomerDecisionInput {
  readonly state: CustomerState;
  /** The partners the decision reads: the acting one and those its command module {@link CustomerCommandHandler.reads}. */
  readonly partners: PartnerDirectory;
  /** The rules in force at the command's time, with the operator's settings. */
  readonly policy: PolicyInForce;
}

/**
 * One customer command's two halves: which partners' states its decision reads, and the decision. The
 * customer aggregate maps every command type to one of these, so a command without both does not compile.
 */
export interface CustomerCommandHandler<C> {
  /** The partners the decision needs besides the acting partner: named by the command, or found in the customer's state. */
  reads(command: C, state: CustomerState): ReadonlyArray<string | null | undefined>;
  decide(command: C, input: CustomerDecisionInput): CustomerEvent[];
}

/** The customer, if registered; every command but the registration needs one. */
export function registeredCustomer(state: CustomerState, customerId: string): RegisteredCustomer {
  if (state.status !== 'registered') {
    return refuse('CUSTOMER_NOT_FOUND', 'not-found', `Customer ${customerId} is not registered in the ledger.`);
  }
  return state;
}

/** The customer's state if it is registered, for reading what a command refers to before deciding. */
export function ifRegistered(state: CustomerState): RegisteredCustomer | undefined {
  return state.status === 'registered' ? state : undefined;
}

/** For commands whose decision reads no partner besides the acting one. */
export const READS_NO_PARTNER = (): [] => [];
