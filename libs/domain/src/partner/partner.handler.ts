import type { PartnerDirectory } from '../shared/parties';
import type { PartnerEvent } from './partner.events';
import type { PartnerState } from './partner.state';

export interface PartnerDecisionInput {
  /** The state of the partner whose stream the command appends to. */
  readonly state: PartnerState;
  /** The other partners the command's module {@link PartnerCommandHandler.reads}. */
  readonly partners: PartnerDirectory;
}

/** One partner command: whose stream it goes to, which other partners its decision reads, and the decision. */
export interface PartnerCommandHandler<C> {
  target(command: Omit<C, 'metadata'>): string;
  reads(command: C): readonly string[];
  decide(command: C, input: PartnerDecisionInput): PartnerEvent[];
}
