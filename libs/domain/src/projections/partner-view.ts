import { assertNever } from '../shared/assert-never';
import type { Cloud, PartnerProgram } from '../shared/vocabulary';
import type { PartnerEvent } from '../partner/partner.events';
import type { ProjectedEvent } from './projected-event';

export interface PartnerView {
  readonly partnerId: string;
  readonly name: string;
  readonly program: PartnerProgram;
  readonly cloud: Cloud;
  readonly enrolledAt: string;
  /** For an indirect provider: the resellers it authorized, with the events that did. */
  readonly resellers: ReadonlyArray<{ readonly resellerId: string; readonly authorizedBy: string; readonly at: string }>;
  readonly eventsApplied: number;
}

export const PARTNER_VIEW_EVENT_TYPES: ReadonlyArray<PartnerEvent['type']> = [
  'PartnerEnrolled', 'PartnerMovedToCsp', 'IndirectResellerAuthorized',
];

export function evolvePartnerView(view: PartnerView | null, event: ProjectedEvent<PartnerEvent>): PartnerView | null {
  switch (event.type) {
    case 'PartnerEnrolled':
      return { ...event.data, enrolledAt: event.recordedAt, resellers: [], eventsApplied: 1 };
    case 'PartnerMovedToCsp':
      return view && { ...view, program: event.data.toProgram, eventsApplied: view.eventsApplied + 1 };
    case 'IndirectResellerAuthorized':
      return view && {
        ...view,
        resellers: [...view.resellers, { resellerId: event.data.resellerId, authorizedBy: event.id, at: event.recordedAt }],
        eventsApplied: view.eventsApplied + 1,
      };
    default:
      return assertNever(event);
  }
}
