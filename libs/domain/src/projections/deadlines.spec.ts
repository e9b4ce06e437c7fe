import { accepted, granted, invited, registered, related } from '../testing/decider-spec';
import type { CustomerEvent } from '../customer/customer.events';
import { deadlinesOf } from '../testing/projection-spec';

describe('customer deadlines (what the scheduler records)', () => {
  it('lists active license terms, grants in force and pending invitations, and nothing ended', () => {
    const due = deadlinesOf([registered(),
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'm365', kind: 'license', channel: 'advisor', partnerOfRecordId: null, termEndsAt: '2026-09-01T00:00:00.000Z', commerce: 'legacy' } },
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'azure', kind: 'usage', channel: 'ea', partnerOfRecordId: null, termEndsAt: null, commerce: 'legacy' } },
      ...related('direct'), granted('g-1', 'direct'), granted('g-2', 'direct'),
      { type: 'DelegatedAdminRevoked', data: { customerId: 'contoso', grantId: 'g-2', partnerId: 'direct' } },
      { type: 'InvitationCreated', data: { customerId: 'contoso', invitationId: 'inv-9', partnerId: 'direct-2', resellerId: null, delegatedAdmin: null, expiresAt: '2026-05-30T12:00:00.000Z' } },
    ]);
    expect(due).toEqual([
      { customerId: 'contoso', kind: 'license-term-end', refId: 'm365', dueAt: '2026-09-01T00:00:00.000Z' },
      { customerId: 'contoso', kind: 'grant-expiry', refId: 'g-1', dueAt: '2026-06-01T00:00:00.000Z' },
      { customerId: 'contoso', kind: 'invitation-expiry', refId: 'inv-9', dueAt: '2026-05-30T12:00:00.000Z' },
    ]);
  });

  it('starts a license’s new term at a switch, and drops what ended otherwise', () => {
    const due = deadlinesOf([registered(),
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'm365', kind: 'license', channel: 'advisor', partnerOfRecordId: null, termEndsAt: '2026-09-01T00:00:00.000Z', commerce: 'legacy' } },
      { type: 'LicenseTermEnded', data: { customerId: 'contoso', subscriptionId: 'm365', termEndedAt: '2026-09-01T00:00:00.000Z' } },
      { type: 'SubscriptionSwitched', data: { customerId: 'contoso', subscriptionId: 'm365', fromChannel: 'advisor', fromPartnerId: null, toPartnerId: 'direct', termEndsAt: '2027-09-01T00:00:00.000Z' } },
      { type: 'SubscriptionRecorded', data: { customerId: 'contoso', subscriptionId: 'o365', kind: 'license', channel: 'advisor', partnerOfRecordId: null, termEndsAt: '2026-10-01T00:00:00.000Z', commerce: 'legacy' } },
      { type: 'SubscriptionCancelled', data: { customerId: 'contoso', subscriptionId: 'o365' } },
      invited('inv-1', 'direct'), accepted('inv-1', 'direct'),
    ]);
    expect(due).toEqual([{ customerId: 'contoso', kind: 'license-term-end', refId: 'm365', dueAt: '2027-09-01T00:00:00.000Z' }]);
  });
});

describe('GDAP and transfer deadlines', () => {
  const gdap = (type: string, data: object) => ({ type, data: { customerId: 'contoso', gdapId: 'g-1', partnerId: 'direct', ...data } }) as CustomerEvent;
  const transfer = (type: string, data: object = {}) =>
    ({ type, data: { customerId: 'contoso', transferId: 't-1', sourcePartnerId: 'direct', targetPartnerId: 'direct-2', ...data } }) as CustomerEvent;

  it('lists a pending GDAP request’s expiry, then, once approved, the relationship’s end, moved by each extension', () => {
    const requested = gdap('GdapRelationshipRequested', { roles: ['Helpdesk Administrator'], durationDays: 30, autoExtend: true, requestExpiresAt: '2026-05-30T00:00:00.000Z' });
    expect(deadlinesOf([registered(), requested])).toEqual([
      { customerId: 'contoso', kind: 'gdap-request-expiry', refId: 'g-1', dueAt: '2026-05-30T00:00:00.000Z' }]);
    expect(deadlinesOf([registered(), requested, gdap('GdapRelationshipApproved', { endsAt: '2026-04-01T00:00:00.000Z' }),
      gdap('GdapRelationshipExtended', { endsAt: '2026-09-28T00:00:00.000Z' })])).toEqual([
      { customerId: 'contoso', kind: 'gdap-term-end', refId: 'g-1', dueAt: '2026-09-28T00:00:00.000Z' }]);
  });

  it('drops a relationship’s end once it expired or was terminated, and a transfer’s expiry once answered', () => {
    expect(deadlinesOf([registered(),
      gdap('GdapRelationshipEstablished', { roles: ['Helpdesk Administrator'], origin: 'default-roles', endsAt: '2026-04-01T00:00:00.000Z' }),
      gdap('GdapRelationshipTerminated', { requestedBy: 'customer' }),
      transfer('TransferRequested', { subscriptionIds: ['m365'], expiresAt: '2026-04-01T00:00:00.000Z' }),
    ])).toEqual([{ customerId: 'contoso', kind: 'transfer-expiry', refId: 't-1', dueAt: '2026-04-01T00:00:00.000Z' }]);
    expect(deadlinesOf([registered(), transfer('TransferRequested', { subscriptionIds: ['m365'], expiresAt: '2026-04-01T00:00:00.000Z' }),
      transfer('TransferCompleted', { subscriptionIds: ['m365'] })])).toEqual([]);
  });
});
