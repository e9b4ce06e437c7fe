import type { CustomerEvent, CustomerView } from '@ledger/domain';
import { granted, registered, related, subscription } from '../../../libs/domain/src/testing/decider-spec';
import { customerViewOf } from '../../../libs/domain/src/testing/projection-spec';
import { toCsv } from './csv';
import { CUSTOMER_LANE, type HistoryEvent, momentsOf, type Refusal, timelineOf } from './timeline';

/** Events are recorded a day apart from 2026-03-01 (e1 on day 1, e2 on day 2, …). */
const day = (n: number) => new Date(Date.UTC(2026, 2, n)).toISOString();
const NOW = day(20);

function viewOf(events: CustomerEvent[]): CustomerView {
  const view = customerViewOf(events);
  if (!view) throw new Error('the customer is not registered');
  return view;
}

/** The history the API would give for these events: ids e1…, a day apart, acted by the customer's portal. */
function historyOf(events: CustomerEvent[]): HistoryEvent[] {
  return events.map((event, i) => ({
    id: `e${i + 1}`, position: String(i), revision: String(i), type: event.type, schemaVersion: 1, data: event.data, policy: '2019-05',
    metadata: { recordedAt: day(i + 1), actor: { kind: 'customer', id: 'contoso' }, client: 'contoso-portal', hash: `h${i + 1}` },
  }));
}

describe('the customer’s timeline (what the web page draws)', () => {
  describe('given a relationship through a reseller, a revoked grant, and a license that moved to the provider', () => {
    const events: CustomerEvent[] = [
      registered(), subscription('m365', 'license', 'advisor'), ...related('provider', 'reseller'),
      granted('g-1', 'reseller', '2026-09-01T00:00:00.000Z'),
      { type: 'LicenseTermEnded', data: { customerId: 'contoso', subscriptionId: 'm365', termEndedAt: day(6) } },
      { type: 'SubscriptionSwitched', data: { customerId: 'contoso', subscriptionId: 'm365', fromChannel: 'advisor', fromPartnerId: null, toPartnerId: 'provider', termEndsAt: '2027-03-07T00:00:00.000Z' } },
      { type: 'DelegatedAdminRevoked', data: { customerId: 'contoso', grantId: 'g-1', partnerId: 'reseller' } },
    ];
    const timeline = timelineOf(viewOf(events), historyOf(events), [], NOW);

    it('draws the relationship in its owner’s lane and in its linked reseller’s', () => {
      expect(timeline.bars.filter((b) => b.label.startsWith('relationship rel-provider')).map((b) => [b.lane, b.kind, b.from, b.to, b.ending])).toEqual([
        ['provider', 'reseller relationship', day(4), null, 'in force'],
        ['reseller', 'linked reseller', day(4), null, 'in force'],
      ]);
    });

    it('ends a revoked grant at its revocation, naming both events', () => {
      expect(timeline.bars.find((b) => b.kind === 'delegated admin')).toEqual({
        lane: 'reseller', kind: 'delegated admin', label: 'grant g-1 (Helpdesk Administrator)', from: day(5), to: day(8), ending: 'revoked', eventIds: ['e5', 'e8'],
      });
    });

    it('draws the license under its partner of record only from the switch (bought from no partner before)', () => {
      expect(timeline.bars.filter((b) => b.kind === 'partner of record')).toEqual([
        { lane: 'provider', kind: 'partner of record', label: 'subscription m365 (license)', from: day(7), to: null, ending: 'in force', eventIds: ['e7'] },
      ]);
    });

    it('puts each event in the lane of the partner it concerns, the customer’s own first', () => {
      expect(timeline.lanes).toEqual([CUSTOMER_LANE, 'provider', 'reseller']);
      expect(timeline.markers.map((m) => [m.type, m.lane])).toEqual([
        ['CustomerRegistered', CUSTOMER_LANE], ['SubscriptionRecorded', CUSTOMER_LANE], ['InvitationCreated', 'provider'], ['RelationshipAccepted', 'provider'],
        ['DelegatedAdminGranted', 'reseller'], ['LicenseTermEnded', CUSTOMER_LANE], ['SubscriptionSwitched', 'provider'], ['DelegatedAdminRevoked', 'reseller'],
      ]);
      expect(timeline.markers[3]).toMatchObject({ actor: 'customer:contoso', client: 'contoso-portal', ref: 'e4', refused: false });
    });

    it('spans from the registration to the ledger’s now, and the cursor’s moments are the events and the ends', () => {
      expect([timeline.start, timeline.end]).toEqual([day(1), NOW]);
      expect(momentsOf(timeline)).toEqual([day(1), day(2), day(3), day(4), day(5), day(6), day(7), day(8)]);
    });
  });

  it('ends a grant nobody revoked at its end date, ahead of now if need be, and says when it is past', () => {
    const events = [registered(), ...related('direct'), granted('g-1', 'direct', day(10)), granted('g-2', 'direct', day(30))];
    const bars = timelineOf(viewOf(events), [], [], NOW).bars.filter((b) => b.kind === 'delegated admin');
    expect(bars.map((b) => [b.label.slice(0, 9), b.to, b.ending])).toEqual([['grant g-1', day(10), 'past its end'], ['grant g-2', day(30), 'in force']]);
    expect(timelineOf(viewOf(events), [], [], NOW).end).toBe(day(30));
  });

  it('marks a refused command in the lane of the partner its command names', () => {
    const refusal: Refusal = {
      sequence: '1', commandType: 'CreateInvitation', stream: 'customer-contoso', code: 'MC-03', message: 'Only …',
      actor: { kind: 'partner', id: 'reseller' }, client: 'reseller-app', recordedAt: day(3), command: { partnerId: 'reseller' },
    };
    const timeline = timelineOf(viewOf([registered()]), [], [refusal], NOW);
    expect(timeline.markers).toEqual([{ lane: 'reseller', at: day(3), type: 'CreateInvitation', actor: 'partner:reseller', client: 'reseller-app', ref: 'MC-03', refused: true }]);
  });
});

describe('the CSV export', () => {
  const columns = [{ heading: 'name', value: (r: { name: string }) => r.name }];

  it('quotes a field holding a comma, a quote or a line break, with CRLF line ends', () => {
    expect(toCsv([{ name: 'a, "b"\nc' }, { name: 'plain' }], columns)).toBe('name\r\n"a, ""b""\nc"\r\nplain\r\n');
  });

  it('keeps a field a spreadsheet would run as a formula as text', () => {
    expect(toCsv([{ name: '=HYPERLINK("x")' }, { name: '@SUM(A1)' }], columns)).toBe('name\r\n"\'=HYPERLINK(""x"")"\r\n\'@SUM(A1)\r\n');
  });
});
