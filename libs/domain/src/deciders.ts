import type { CustomerCommand } from './customer/customer.commands';
import { decideCustomer, partnersReferencedByCustomerCommand } from './customer/customer.decider';
import type { CustomerEvent } from './customer/customer.events';
import { type CustomerState, evolveCustomer, initialCustomerState } from './customer/customer.state';
import type { PartnerCommand } from './partner/partner.commands';
import { decidePartner, partnerCommandTarget, partnersReferencedByPartnerCommand } from './partner/partner.decider';
import type { PartnerEvent } from './partner/partner.events';
import { evolvePartner, initialPartnerState, type PartnerState } from './partner/partner.state';
import type { PartnerDirectory } from './shared/parties';
import { DEFAULT_POLICY_SETTINGS, policyInForce, type PolicySettings } from './shared/policy';
import type { CommandContext } from './shared/vocabulary';

export type StreamCategory = 'partner' | 'customer';

/** Settings of the rules, fixed by the operator's configuration. */
export type LedgerPolicy = PolicySettings;
export const DEFAULT_LEDGER_POLICY: LedgerPolicy = DEFAULT_POLICY_SETTINGS;

/**
 * Everything a command runner needs to know about one kind of stream: where a command goes, how its state
 * is folded, which partners' streams the decision reads, and the decision itself.
 */
export interface Decider<C, E, S> {
  readonly category: StreamCategory;
  /** The id of the partner or customer whose stream the command goes to (from its data). */
  entityId(input: CommandInput<C>): string;
  initialState(): S;
  evolve(state: S, event: E): S;
  referencedPartners(command: C, state: S): string[];
  /** Decides under the version of the rules in force at the command's time (its metadata's `now`). */
  decide(command: C, state: S, partners: PartnerDirectory, settings: LedgerPolicy): E[];
}

export const partnerDecider: Decider<PartnerCommand, PartnerEvent, PartnerState> = {
  category: 'partner',
  entityId: partnerCommandTarget,
  initialState: initialPartnerState,
  evolve: evolvePartner,
  referencedPartners: partnersReferencedByPartnerCommand,
  decide: (command, state, partners) => decidePartner(command, { state, partners }),
};

export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  category: 'customer',
  entityId: (command) => command.data.customerId,
  initialState: initialCustomerState,
  evolve: evolveCustomer,
  referencedPartners: partnersReferencedByCustomerCommand,
  decide: (command, state, partners, settings) =>
    decideCustomer(command, { state, partners, policy: policyInForce(settings, command.metadata.now) }),
};

/** The stream that holds one partner's or one customer's facts, named so that its category can be read. */
export function streamName(category: StreamCategory, id: string): string {
  return `${category}-${id}`;
}

export function parseStreamName(stream: string): { category: StreamCategory; id: string } | undefined {
  const match = /^(partner|customer)-(.+)$/.exec(stream);
  return match ? { category: match[1] as StreamCategory, id: match[2] } : undefined;
}

/** A command as a caller submits it: the runner adds the context (actor, the ledger clock's time). */
export type CommandInput<C> = C extends { metadata: unknown } ? Omit<C, 'metadata'> : never;

/** The command a decider decides: the caller's input with the context the runner adds. */
export function withContext<C>(input: CommandInput<C>, metadata: CommandContext): C {
  // CommandInput<C> is C less its metadata, so adding the metadata back gives a C (TypeScript cannot follow the conditional type).
  return { ...input, metadata } as unknown as C;
}
