import { accepted, granted, invited, registered, related, subscription } from '../testing/decider-spec';
import { customerViewOf } from '../testing/projection-spec';
import type { CustomerEvent } from '../customer/customer.events';

const day = (n: number) => new Date(Date.UTC(2026, 2, n)).toISOString();

describe('the customer view (ownership)', () => {
  it('is nothing before the customer registers', () => {
    expect(customerViewOf([subscription('azure', 'usage', 'ea')])).toBeNull();
  });

  it('records each subscription’s channel, partner of record and state', () => {
    const view = customerViewOf([registered(), ...related('direct'), subscription('azure', 'usage', 'csp', 'direct')]);
    expect(view?.subscriptions.azure).toEqual({
      subscriptionId: 'azure', kind: 'usage', originChannel: 'csp', channel: 'csp', partnerOfRecordId: 'direct',
      termEndsAt: null, commerce: 'legacy', status: 'active', switched: false,
      history: [{ eventId: 'e4', type: 'SubscriptionRecorded', at: day(4), partnerOfRecordId: 'direct', channel: 'csp' }],
    });
    expect(view?.eventsApplied).toBe(4);
  });

  it('follows a license through its term end and a switch, keeping its moves', () => {
    const view = customerViewOf([
      registered(), subscription('m365', 'license', 'advisor'), ...related('provider'),
      { type: 'LicenseTermEnded', data: { customerId: 'contoso', subscriptionId: 'm365', termEndedAt: '2026-09-01T00:00:00.000Z' } },
      { type: 'SubscriptionSwitched', data: {
        customerId: 'contoso', subscriptionId: 'm365', fromChannel: 'advisor', fromPartnerId: null, toPartnerId: 'provider',
        termEndsAt: '2027-09-01T00:00:00.000Z' } },
    ]);
    expect(view?.subscriptions.m365).toMatchObject({
      originChannel: 'advisor', channel: 'csp', partnerOfRecordId: 'provider', status: 'active', switched: true,
      termEndsAt: '2027-09-01T00:00:00.000Z',
    });
    expect(view?.subscriptions.m365.history.map((m) => [m.type, m.partnerOfRecordId, m.channel])).toEqual([
      ['SubscriptionRecorded', null, 'advisor'], ['LicenseTermEnded', null, 'advisor'], ['SubscriptionSwitched', 'provider', 'csp'],
    ]);
  });

  it('marks a cancelled subscription', () => {
    const view = customerViewOf([registered(), subscription('azure', 'usage', 'ea'),
      { type: 'SubscriptionCancelled', data: { customerId: 'contoso', subscriptionId: 'azure' } }]);
    expect(view?.subscriptions.azure.status).toBe('cancelled');
  });

  it('records each relationship’s owner and linked reseller, and the event that established it', () => {
    const view = customerViewOf([registered(), ...related('provider', 'reseller')]);
    expect(view?.relationships['rel-provider']).toEqual({
      relationshipId: 'rel-provider', invitationId: 'rel-provider', partnerId: 'provider', resellerId: 'reseller',
      status: 'active', acceptedAt: day(3), acceptedBy: 'e3', endedAt: null, endedBy: null,
    });
    expect(view?.invitations['rel-provider']).toMatchObject({ status: 'accepted', createdBy: 'e2', endedBy: 'e3' });
  });

  it('keeps terminated relationships, revoked and expired grants, and revoked and expired invitations in history', () => {
    const events: CustomerEvent[] = [
      registered(), ...related('direct'), granted('g-1', 'direct'), granted('g-2', 'direct'),
      invited('inv-2', 'provider'), invited('inv-3', 'provider'),
      { type: 'RelationshipTerminated', data: { customerId: 'contoso', relationshipId: 'rel-direct', partnerId: 'direct' } },
      { type: 'DelegatedAdminRevoked', data: { customerId: 'contoso', grantId: 'g-1', partnerId: 'direct' } },
      { type: 'DelegatedAdminExpired', data: { customerId: 'contoso', grantId: 'g-2', partnerId: 'direct' } },
      { type: 'InvitationRevoked', data: { customerId: 'contoso', invitationId: 'inv-2' } },
      { type: 'InvitationExpired', data: { customerId: 'contoso', invitationId: 'inv-3' } },
    ];
    const view = customerViewOf(events);
    expect(view?.relationships['rel-direct']).toMatchObject({ status: 'terminated', endedBy: 'e8', endedAt: day(8) });
    expect(view?.grants['g-1']).toMatchObject({ status: 'revoked', grantedBy: 'e4', endedBy: 'e9' });
    expect(view?.grants['g-2']).toMatchObject({ status: 'expired', endedBy: 'e10' });
    expect(view?.invitations['inv-2']).toMatchObject({ status: 'revoked', endedBy: 'e11' });
    expect(view?.invitations['inv-3']).toMatchObject({ status: 'expired', endedBy: 'e12' });
    expect(view?.eventsApplied).toBe(events.length);
  });

  it('records the invitation’s routed reseller before it is accepted', () => {
    const view = customerViewOf([registered(), invited('inv-1', 'provider', 'reseller')]);
    expect(view?.invitations['inv-1']).toMatchObject({ partnerId: 'provider', resellerId: 'reseller', status: 'pending' });
    expect(customerViewOf([registered(), invited('inv-1', 'provider'), accepted('inv-1', 'provider')])?.relationships['inv-1'])
      .toMatchObject({ resellerId: null });
  });
});
