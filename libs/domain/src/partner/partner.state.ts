import type { Cloud, PartnerProgram } from '../shared/vocabulary';
import { assertNever } from '../shared/assert-never';
import type { PartnerEvent } from './partner.events';

export interface EnrolledPartner {
  readonly status: 'enrolled';
  readonly partnerId: string;
  readonly name: string;
  readonly program: PartnerProgram;
  readonly cloud: Cloud;
  /** Indirect resellers this partner (an indirect provider) has authorized. */
  readonly authorizedResellers: readonly string[];
}

export type PartnerState = { readonly status: 'unknown' } | EnrolledPartner;

export function initialPartnerState(): PartnerState {
  return { status: 'unknown' };
}

export function evolvePartner(state: PartnerState, event: PartnerEvent): PartnerState {
  switch (event.type) {
    case 'PartnerEnrolled':
      return { status: 'enrolled', ...event.data, authorizedResellers: [] };
    case 'PartnerMovedToCsp':
      return state.status === 'enrolled' ? { ...state, program: event.data.toProgram } : state;
    case 'IndirectResellerAuthorized':
      return state.status === 'enrolled'
        ? { ...state, authorizedResellers: [...state.authorizedResellers, event.data.resellerId] }
        : state;
    default:
      return assertNever(event);
  }
}
