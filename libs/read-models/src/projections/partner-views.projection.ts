import { evolvePartnerView, PARTNER_VIEW_EVENT_TYPES, type PartnerEvent, type PartnerView } from '@ledger/domain';
import { documentProjection } from '../projection';

/** One view per partner: its program, cloud and the resellers it authorized. */
export const partnerViews = documentProjection<PartnerView, PartnerEvent, { partner(partnerId: string): PartnerView | undefined }>({
  name: 'partner-views',
  version: 1,
  eventTypes: PARTNER_VIEW_EVENT_TYPES,
  documents: { name: 'partners', key: 'partner_id', column: 'view' },
  evolve: evolvePartnerView,
  open: (_db, documents) => ({ queries: { partner: (partnerId) => documents.get(partnerId) } }),
});
